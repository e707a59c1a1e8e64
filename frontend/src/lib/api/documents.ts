import {
  Body,
  Get,
  ImportFiles,
  List,
  MarkOriginal,
  PickFiles,
  Reoffer,
  ReofferCandidates,
} from '../../../wailsjs/go/app/Documents'
import { OnFileDrop, OnFileDropOff } from '../../../wailsjs/runtime/runtime'
import { call, toApiError, type ApiError } from './errors'
import type {
  DocumentDetail,
  DocumentPage,
  DocumentQuery,
  ImportResult,
  InvoiceDocument,
  ReofferCandidate,
  ReofferResult,
} from './types'

/** One page of an organization's inbox (purchase) or outbox (sales), newest first. */
export function listDocuments(q: DocumentQuery): Promise<DocumentPage> {
  return call(() =>
    List({
      organizationId: q.organizationId,
      direction: q.direction,
      status: q.status ?? '',
      connectionId: q.connectionId ?? 0,
      search: q.search ?? '',
      limit: q.limit ?? 0,
      after: q.after ?? 0,
    }),
  )
}

/** A document with its status history and offers. */
export function getDocument(id: number): Promise<DocumentDetail> {
  return call(() => Get(id))
}

/** The document's XML as text: show it as text, never as markup. */
export function documentBody(id: number): Promise<string> {
  return call(() => Body(id))
}

/** Opens the system's file picker; the chosen paths, none when cancelled. */
export async function pickFiles(title: string): Promise<string[]> {
  return (await call(() => PickFiles(title))) ?? []
}

/**
 * Imports files and folders by path for an organization (0: the one each
 * document names). Progress arrives as events.importProgress.
 */
export function importFiles(organizationId: number, paths: string[]): Promise<ImportResult[]> {
  return call(() => ImportFiles({ organizationId, paths }))
}

export function reofferCandidates(organizationId: number): Promise<ReofferCandidate[]> {
  return call(() => ReofferCandidates(organizationId))
}

/** Re-offer to API: each document gets its result. */
export function reoffer(ids: number[]): Promise<ReofferResult[]> {
  return call(() => Reoffer(ids))
}

export function markOriginal(id: number): Promise<InvoiceDocument> {
  return call(() => MarkOriginal(id))
}

/** The error of a per-item result as an ApiError, for errorText. */
export function resultError(e: unknown): ApiError {
  return toApiError(e)
}

/**
 * Calls handler with the paths of files dropped on the window (Wails gives
 * paths, the browser does not); returns the function that stops listening.
 * Outside the desktop window it does nothing.
 */
export function onFilesDropped(handler: (paths: string[]) => void): () => void {
  if (typeof window === 'undefined' || !('runtime' in window)) return () => {}
  try {
    OnFileDrop((_x, _y, paths) => handler(paths), false)
  } catch {
    return () => {}
  }
  return () => {
    try {
      OnFileDropOff()
    } catch {
      // the runtime is gone
    }
  }
}
