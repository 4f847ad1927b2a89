// Closing a dgram socket completes asynchronously; engine code awaits it so that a finished
// operation has released every socket it opened.
import type { Socket } from 'node:dgram';

export function closeSocket(socket: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed (after a socket error): nothing left to release
    }
  });
}
