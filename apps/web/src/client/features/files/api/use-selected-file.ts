import { useCallback, useEffect, useState } from 'react';
import type { ClientFileSummary } from './client-files';
import { type RememberedFile, readRememberedFile, rememberFile } from './selected-file';

export interface SelectedFile {
  /** The file shown, null while none is (loading, none left, or the one shown was withdrawn). */
  file: ClientFileSummary | null;
  /** The file that was open (or remembered) and is no longer accessible. */
  lost: RememberedFile | null;
  select: (file: ClientFileSummary) => void;
}

/**
 * Which of the contact's files is open: the one chosen last on this device, else the first.
 * When the open file leaves the list (the firm withdrew it), it is reported as lost rather
 * than silently replaced, so the space can say what happened.
 */
export function useSelectedFile(contactId: string | null, files: ClientFileSummary[] | null): SelectedFile {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [lost, setLost] = useState<RememberedFile | null>(null);

  useEffect(() => {
    if (!contactId || !files) return;
    const current = selectedId ?? readRememberedFile(contactId)?.id ?? null;
    if (current && files.some((f) => f.id === current)) {
      if (current !== selectedId) setSelectedId(current);
      return;
    }
    if (current) {
      const remembered = readRememberedFile(contactId);
      setLost(remembered?.id === current ? remembered : { contactId, id: current, name: '' });
      setSelectedId(null);
      rememberFile(null);
      return;
    }
    // Nothing chosen yet (first visit, or after a loss): open the first file, unless a loss is shown.
    const first = files[0];
    if (first && !lost) {
      setSelectedId(first.id);
      rememberFile({ contactId, id: first.id, name: first.name });
    }
  }, [contactId, files, selectedId, lost]);

  const select = useCallback(
    (file: ClientFileSummary) => {
      if (!contactId) return;
      setLost(null);
      setSelectedId(file.id);
      rememberFile({ contactId, id: file.id, name: file.name });
    },
    [contactId],
  );

  const file = (selectedId && files?.find((f) => f.id === selectedId)) || null;
  return { file, lost, select };
}
