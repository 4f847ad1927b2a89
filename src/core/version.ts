// Injected by esbuild from package.json (see scripts/build.mjs); tests compiled by tsc see the fallback.
declare const __NAT_DOCTOR_VERSION__: string | undefined;

export const TOOL_VERSION: string =
  typeof __NAT_DOCTOR_VERSION__ === 'string' ? __NAT_DOCTOR_VERSION__ : '0.0.0-dev';
