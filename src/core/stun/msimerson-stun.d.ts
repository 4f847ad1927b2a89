// The slice of @msimerson/stun (plain JavaScript, no bundled types) that stunMessage.ts uses.
declare module '@msimerson/stun' {
  interface StunAttribute {
    readonly type: number;
    readonly value: unknown;
  }
  interface StunMessage {
    readonly type: number;
    readonly transactionId: Buffer;
    isLegacy(): boolean;
    getAttribute(type: number): StunAttribute | undefined;
    readonly count: number;
  }
  interface StunRequest extends StunMessage {
    addAttribute(type: number, ...values: unknown[]): StunAttribute | undefined;
    addFingerprint(): boolean;
    addMessageIntegrity(key: string | Buffer): boolean;
    addUsername(username: string): StunAttribute | undefined;
    addRealm(realm: string): StunAttribute | undefined;
    addNonce(nonce: string): StunAttribute | undefined;
    toBuffer(): Buffer;
  }
  export function createMessage(type: number, transactionId?: Buffer): StunRequest;
  export function decode(buffer: Buffer): StunMessage;
  export function encode(message: StunMessage): Buffer;
  export const constants: Record<string, number>;
}
