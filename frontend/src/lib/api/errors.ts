/** The codes Go's errors carry (internal/koppel/error.go). */
export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'internal'

const codes: readonly string[] = ['invalid', 'not_found', 'conflict', 'forbidden', 'internal']

/**
 * A failed call: a code for the program, a message for the person (English),
 * and, when Go named the message, its key and parameters so the window can
 * say it in the chosen language (lib/i18n: errorText).
 */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly key: string
  readonly params: Readonly<Record<string, string>>

  constructor(code: ErrorCode, message: string, key = '', params: Record<string, string> = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.key = key
    this.params = params
  }
}

/**
 * Turns whatever a rejected call gave into an ApiError. Go's ErrorFormatter
 * sends {code, message, key?, params?}; Wails itself rejects with a string
 * when it cannot call the method at all (bad arguments, no runtime).
 */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason
  if (isErrorShape(reason)) {
    const code = codes.includes(reason.code) ? (reason.code as ErrorCode) : 'internal'
    return new ApiError(code, reason.message, stringOr(reason.key), stringRecord(reason.params))
  }
  if (typeof reason === 'string') return new ApiError('internal', reason)
  if (reason instanceof Error) {
    const sent = parsed(reason.message)
    if (sent) return toApiError(sent)
    return new ApiError('internal', reason.message)
  }
  return new ApiError('internal', String(reason))
}

function isErrorShape(v: unknown): v is { code: string; message: string; key?: unknown; params?: unknown } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  )
}

/**
 * Go's error object when text is its JSON: the ErrorFormatter (app/errors.go)
 * sends it as text, because Wails' runtime rejects with new Error(answer).
 */
function parsed(text: string): unknown {
  if (!text.startsWith('{')) return undefined
  try {
    const v: unknown = JSON.parse(text)
    return isErrorShape(v) ? v : undefined
  } catch {
    return undefined
  }
}

function stringOr(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof v !== 'object' || v === null) return out
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value
  return out
}

/** Runs a bound Go method; a rejection becomes an ApiError. */
export async function call<T>(method: () => Promise<T>): Promise<T> {
  try {
    return await method()
  } catch (reason) {
    throw toApiError(reason)
  }
}
