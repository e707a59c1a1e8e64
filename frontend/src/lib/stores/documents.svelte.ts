// What the window knows about documents beyond one list: a version that
// moves when Go says documents changed (lists reload on it), and the
// progress of a running import.
import type { ImportProgress } from '../api'

class DocumentsStore {
  /** bumped on events.documentsChanged; lists depend on it to reload */
  version = $state(0)
  progress = $state.raw<ImportProgress | null>(null)

  onChanged = () => {
    this.version++
  }

  onProgress = (data: unknown) => {
    const p = data as ImportProgress | undefined
    if (p && typeof p.done === 'number' && typeof p.total === 'number') this.progress = { done: p.done, total: p.total }
  }
}

export const docs = new DocumentsStore()
