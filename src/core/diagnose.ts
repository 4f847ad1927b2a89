// diagnose(): the whole report, run as one plan under one deadline and one AbortSignal.
// (Body lands with the NAT engine; the signature is what the CLI and the extension drive.)
import type { ProgressListener } from './progress';
import type { Report } from './report/types';

export interface DiagnoseOptions {
  /** `host:port` STUN servers; when given, only these are used. Default: DEFAULT_STUN_SERVERS. */
  stunServers?: readonly string[];
  /** `host:port/protocol` reachability probes to run alongside. */
  probes?: readonly string[];
  /** Run the (slow, background) binding-lifetime measurement too. */
  measureLifetime?: boolean;
  /** Test hairpinning (off by default: some firewalls take it for a LAND attack). */
  hairpinning?: boolean;
  /** `quick`: public address, mapping across servers and port preservation only (status bar). */
  mode?: 'full' | 'quick';
  /** Deadline for the whole run in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Where the probes run, for the report ("local machine" or a remote host name). */
  ranOn?: string;
}

export declare function diagnose(options?: DiagnoseOptions): Promise<Report>;
