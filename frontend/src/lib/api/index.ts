// The window's only way to Go: nothing outside this folder imports wailsjs.
export { ApiError, toApiError, type ErrorCode } from './errors'
export * from './types'
export { backendStatus, windowOpened } from './system'
export {
  listOrganizations,
  listSoftware,
  addOrganization,
  updateOrganization,
  partnershipImpact,
  endPartnership,
} from './organizations'
export {
  listConnections,
  loadOverview,
  toOverview,
  loadConnectionWindow,
  createConnection,
  revokeConnection,
  deleteConnection,
  replaceKeys,
  forgetKeys,
} from './connections'
export { listAudit, verifyAudit } from './audit'
export { getSettings, setSetting } from './settings'
export { copyText, clearClipboardNow } from './clipboard'
export { onEvent } from './events'
export {
  listDocuments,
  getDocument,
  documentBody,
  pickFiles,
  importFiles,
  reofferCandidates,
  reoffer,
  markOriginal,
  resultError,
  onFilesDropped,
} from './documents'
export {
  quickConnectContext,
  recogniseKeys,
  pasteFromClipboard,
  forgetPaste,
  applyQuickConnect,
  listLinks,
  testLink,
  removeLink,
  listAdministrations,
  addAdministration,
  updateAdministration,
  previewAdministrationsCSV,
  importAdministrationsCSV,
} from './quickconnect'
