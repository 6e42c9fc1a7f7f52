// Web: no push (the web shop has e-mail updates); the same interface as
// index.native.ts so screens do not care.
export type PushStatus = 'unsupported' | 'undetermined' | 'granted' | 'denied';

export async function pushStatus(): Promise<PushStatus> {
  return 'unsupported';
}

export async function enablePush(_topics: string[]): Promise<PushStatus> {
  return 'unsupported';
}

export function useNotificationDeepLinks(): void {}
