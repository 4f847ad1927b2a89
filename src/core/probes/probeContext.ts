// What every protocol probe receives and returns; the engine (probe.ts) adds the target string.
import type { ProbeState } from '../report/types';
import type { ProbeOptions, ProbeTarget } from './types';

export interface ProbeContext {
  target: ProbeTarget;
  /** The IP literal the host resolved to. */
  address: string;
  /** `host:port/protocol`, for progress lines. */
  label: string;
  timeoutMs: number;
  options: ProbeOptions;
}

export interface ProbeFinding {
  state: ProbeState;
  rttMs: number | null;
  detail: string;
  warnings?: string[];
  /** A TURN relay that was allocated (and released): the relayed ICE candidate it stands for. */
  relayed?: { address: string; port: number };
}
