// The window's only way to Go: nothing outside this folder imports wailsjs.
export { ApiError, toApiError, type ErrorCode } from './errors'
export * from './types'
export { backendStatus } from './system'
export { listOrganizations, listSoftware } from './organizations'
export { listConnections } from './connections'
export { onEvent } from './events'
