import { Status } from '../../../wailsjs/go/app/System'
import { call } from './errors'
import type { BackendStatus } from './types'

/** Whether Koppel's data opened; waits for startup. */
export function backendStatus(): Promise<BackendStatus> {
  return call<BackendStatus>(() => Status())
}
