import type { FileOutcome } from '../../../../lib/upload';

export type QueueStatus = 'queued' | 'uploading' | 'sent' | 'duplicate' | 'refused' | 'interrupted';

export interface QueueItem {
  id: number;
  file: File;
  status: QueueStatus;
  /** 0 to 1 while uploading. */
  progress: number;
  /** The refusal's code (translated when we know it) and the server's French wording. */
  code: string | null;
  message: string | null;
  duplicateOn: string | null;
}

export type QueueAction =
  | { type: 'add'; files: File[] }
  | { type: 'start'; id: number }
  | { type: 'progress'; id: number; progress: number }
  | { type: 'outcome'; id: number; outcome: FileOutcome; duplicateOn: string | null }
  | { type: 'failed'; id: number; code: string }
  | { type: 'retry'; id: number }
  | { type: 'remove'; id: number };

let nextId = 1;

function update(items: QueueItem[], id: number, change: Partial<QueueItem>): QueueItem[] {
  return items.map((item) => (item.id === id ? { ...item, ...change } : item));
}

/** The files chosen on this visit and where each one stands. */
export function queueReducer(items: QueueItem[], action: QueueAction): QueueItem[] {
  switch (action.type) {
    case 'add':
      return [
        ...items,
        ...action.files.map((file) => ({
          id: nextId++,
          file,
          status: 'queued' as const,
          progress: 0,
          code: null,
          message: null,
          duplicateOn: null,
        })),
      ];
    case 'start':
      return update(items, action.id, { status: 'uploading', progress: 0, code: null, message: null });
    case 'progress':
      return update(items, action.id, { progress: action.progress });
    case 'outcome': {
      const { outcome } = action;
      if (outcome.ok) return update(items, action.id, { status: 'sent', progress: 1 });
      if (outcome.code === 'DUPLICATE_PIECE')
        return update(items, action.id, {
          status: 'duplicate',
          progress: 1,
          duplicateOn: action.duplicateOn,
        });
      return update(items, action.id, { status: 'refused', code: outcome.code, message: outcome.message });
    }
    case 'failed':
      return update(items, action.id, {
        status: action.code === 'NETWORK' || action.code === 'UPLOAD_TRUNCATED' ? 'interrupted' : 'refused',
        code: action.code,
      });
    case 'retry':
      return update(items, action.id, { status: 'queued', progress: 0, code: null, message: null });
    case 'remove':
      return items.filter((item) => item.id !== action.id);
  }
}
