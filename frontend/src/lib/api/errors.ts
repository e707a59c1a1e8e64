/** The codes Go's errors carry (internal/koppel/error.go). */
export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'internal'

const codes: readonly string[] = ['invalid', 'not_found', 'conflict', 'forbidden', 'internal']

/** A failed call: a code for the program and a message for the person. */
export class ApiError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

/**
 * Turns whatever a rejected call gave into an ApiError. Go's ErrorFormatter
 * sends {code, message}; Wails itself rejects with a string when it cannot
 * call the method at all (bad arguments, no runtime).
 */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason
  if (isErrorShape(reason)) {
    const code = codes.includes(reason.code) ? (reason.code as ErrorCode) : 'internal'
    return new ApiError(code, reason.message)
  }
  if (typeof reason === 'string') return new ApiError('internal', reason)
  if (reason instanceof Error) return new ApiError('internal', reason.message)
  return new ApiError('internal', String(reason))
}

function isErrorShape(v: unknown): v is { code: string; message: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  )
}

/** Runs a bound Go method; a rejection becomes an ApiError. */
export async function call<T>(method: () => Promise<T>): Promise<T> {
  try {
    return await method()
  } catch (reason) {
    throw toApiError(reason)
  }
}
