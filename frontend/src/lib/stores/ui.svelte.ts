// Where the window is (the view and the selected organization), which dialog
// is open, and the notices on screen.
import type { ApiError, IssuedKeys, Organization } from '../api'
import { errorText } from '../i18n'
import type { Row } from './data.svelte'

export type OrgTab = 'inbox' | 'outbox' | 'connections' | 'audit'

export type View = 'overview' | 'organization' | 'audit' | 'settings' | 'quickConnect' | 'administrations'

/** The dialogs the window can show, one at a time (plus the keys dialog). */
export type DialogState =
  | { kind: 'addOrganization' }
  | { kind: 'editOrganization'; organization: Organization }
  | { kind: 'endPartnership'; organization: Organization }
  | { kind: 'create'; organizationId: number | null }
  | { kind: 'revoke'; row: Row }
  | { kind: 'replace'; row: Row }
  | { kind: 'delete'; row: Row }
  | { kind: 'document'; id: number }
  | { kind: 'import'; organizationId: number }
  | { kind: 'reconnect'; organizationIds: number[] }

export interface Notice {
  id: number
  kind: 'success' | 'error'
  text: string
}

class UIStore {
  view = $state<View>('overview')
  organizationId = $state<number | null>(null)
  orgTab = $state<OrgTab>('connections')
  dialog = $state.raw<DialogState | null>(null)
  /**
   * New keys on their way to the keys dialog. Kept raw: the dialog empties
   * the object itself (forgetKeys) and this reference is dropped on close.
   */
  keys = $state.raw<IssuedKeys | null>(null)
  notices = $state<Notice[]>([])
  /** The connection the Quick Connect view was opened for; null from the menu. */
  quickConnectId = $state<number | null>(null)
  /** Where the Quick Connect view returns to. */
  quickConnectFrom: View = 'overview'

  #nextNotice = 1

  showOrganization(id: number) {
    this.organizationId = id
    this.view = 'organization'
  }

  /**
   * Opens the Quick Connect view, for a connection or (null) from the menu.
   * The mark starts the benchmark's qc-open measure.
   */
  openQuickConnect(connectionId: number | null) {
    performance.mark('qc:open')
    if (this.view !== 'quickConnect') this.quickConnectFrom = this.view
    this.quickConnectId = connectionId
    this.view = 'quickConnect'
  }

  /** Leaves the Quick Connect view for where it was opened from. */
  leaveQuickConnect() {
    this.view = this.quickConnectFrom
    this.quickConnectId = null
  }

  open(d: DialogState) {
    this.dialog = d
  }

  close() {
    this.dialog = null
  }

  notify(kind: Notice['kind'], text: string) {
    const id = this.#nextNotice++
    this.notices = [...this.notices.slice(-3), { id, kind, text }]
    if (kind === 'success') setTimeout(() => this.dismiss(id), 6000)
  }

  fail(e: ApiError) {
    this.notify('error', errorText(e))
  }

  dismiss(id: number) {
    this.notices = this.notices.filter((n) => n.id !== id)
  }
}

export const ui = new UIStore()
