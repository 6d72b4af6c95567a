import { useState, type DragEvent } from 'react';
import { useModels } from './useModels';

/** Files of a dropped folder, recursively (DataTransferItem.webkitGetAsEntry). */
async function droppedFiles(event: DragEvent): Promise<File[]> {
  const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  const files: File[] = [];
  const visit = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      files.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        await Promise.all(batch.map(visit));
      }
    }
  };
  await Promise.all(entries.map(visit));
  return files.length > 0 ? files : [...event.dataTransfer.files];
}

/** Pick or drop a checkpoint folder (config.json + model.safetensors) or a lab bundle folder (manifest.json). */
export function LocalFilesPicker() {
  const planFiles = useModels((s) => s.planFiles);
  const busy = useModels((s) => s.install !== null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={`drop-zone${over ? ' drop-over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (!busy) void droppedFiles(event).then(planFiles);
      }}
    >
      <label htmlFor="local-folder">Local files: drop a checkpoint folder or a bundle folder here, or</label>
      <input
        id="local-folder"
        data-testid="local-folder"
        type="file"
        multiple
        disabled={busy}
        // A folder picker: React passes unknown lower-case attributes through.
        {...{ webkitdirectory: '' }}
        onChange={(event) => {
          void planFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
    </div>
  );
}
