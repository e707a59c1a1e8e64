import { describe, expect, it } from 'vitest'
import { call, toApiError } from './errors'

const goError = { code: 'conflict', message: 'Administration X is already linked…', key: 'quickconnect.conflict', params: { id: '8' } }

describe('errors through the Wails v2.16 runtime', () => {
  it('reads Go’s error object back from an Error whose message is its JSON', () => {
    const e = toApiError(new Error(JSON.stringify(goError)))
    expect(e.code).toBe('conflict')
    expect(e.key).toBe('quickconnect.conflict')
    expect(e.params).toEqual({ id: '8' })
  })

  it('keeps other Errors as internal errors with their message', () => {
    expect(toApiError(new Error('{not json')).message).toBe('{not json')
    expect(toApiError(new Error('boom')).code).toBe('internal')
  })

  it('turns a call rejected the way Wails rejects (new Error(text)) into the ApiError', async () => {
    // Go's ErrorFormatter answers with the JSON text; the runtime wraps it.
    await expect(call(() => Promise.reject(new Error(JSON.stringify(goError))))).rejects.toMatchObject({
      code: 'conflict',
      key: 'quickconnect.conflict',
      params: { id: '8' },
    })
  })
})
