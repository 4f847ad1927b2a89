// Progress events the engine emits while it works; the CLI prints them to stderr, the extension
// shows them in a notification. Plain data, no formatting.

export type DiagnosePhase =
  | 'resolve'
  | 'connectivity'
  | 'filtering'
  | 'mapping'
  | 'port-allocation'
  | 'pair'
  | 'hairpinning'
  | 'cgnat'
  | 'port-mapping'
  | 'lifetime'
  | 'probes'
  | 'done';

export interface ProgressEvent {
  phase: DiagnosePhase;
  /** One short human sentence, e.g. "Testing filtering behaviour with stun.example.org:3478". */
  message: string;
  /** 0..1 of the whole run, when known. */
  fraction?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;
