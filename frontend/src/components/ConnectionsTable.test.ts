import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { tick } from 'svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setLocale } from '../lib/i18n'
import { ui } from '../lib/stores/ui.svelte'
import { row } from '../test/fixtures'
import ConnectionsTable from './ConnectionsTable.svelte'

const active = row({ id: 1, appKey: 'ak_ACTIVEactiveACTIVEac' })
const revoked = row({
  id: 2,
  appKey: 'ak_REVOKEDrevokedREVOK',
  status: 'revoked',
  revokedAt: Date.parse('2025-03-02T09:00:00Z'),
  revokedReason: 'lost',
  revokedKeyAttempts: 14,
  lastRevokedKeyAttemptAt: Date.parse('2025-03-03T10:42:00Z'),
})

function rowOf(appKey: string): HTMLElement {
  const r = screen.getAllByRole('row').find((el) => el.textContent?.includes(appKey))
  if (!r) throw new Error(`no row for ${appKey}`)
  return r
}

async function openMenu(appKey: string) {
  await fireEvent.click(within(rowOf(appKey)).getByRole('button', { name: /^More actions/ }))
  return screen.getByRole('menu')
}

describe('the connections table', () => {
  beforeEach(() => {
    setLocale('en')
    ui.close()
  })

  it('shows package, App Key, status, revocation with its reason and the attempts warning', () => {
    render(ConnectionsTable, { rows: [active, revoked], showOrganization: true, label: 'Connections' })
    expect(screen.getByRole('table', { name: 'Connections' }).getAttribute('aria-rowcount')).toBe('3')
    const r = rowOf('ak_REVOKEDrevokedREVOK')
    expect(within(r).getByText('Revoked')).toBeTruthy()
    expect(within(r).getByText('lost')).toBeTruthy()
    expect(r.textContent).toContain('Software still uses these revoked keys: 14 attempts')
    expect(r.textContent).toContain('Bakkerij Jansen BV')
  })

  it('offers Quick Connect next to active connections only', () => {
    render(ConnectionsTable, { rows: [active, revoked], label: 'Connections' })
    expect(within(rowOf('ak_ACTIVEactiveACTIVEac')).queryByRole('button', { name: 'Quick Connect' })).toBeTruthy()
    expect(within(rowOf('ak_REVOKEDrevokedREVOK')).queryByRole('button', { name: 'Quick Connect' })).toBeNull()
  })
})

describe('the ⋯ menu', () => {
  beforeEach(() => {
    setLocale('en')
    ui.close()
  })

  it('keeps Delete connection disabled while the connection is active', async () => {
    render(ConnectionsTable, { rows: [active, revoked], label: 'Connections' })
    const menu = await openMenu('ak_ACTIVEactiveACTIVEac')
    const del = within(menu).getByRole('menuitem', { name: 'Delete connection' })
    expect(del.getAttribute('aria-disabled')).toBe('true')
    expect(menu.textContent).toContain('Revoke the connection first')
    expect(within(menu).getByRole('menuitem', { name: 'Revoke connection' }).getAttribute('aria-disabled')).toBe('false')

    await fireEvent.click(del)
    expect(ui.dialog).toBeNull()
  })

  it('enables Delete connection for a revoked one, and opens its confirmation', async () => {
    render(ConnectionsTable, { rows: [active, revoked], label: 'Connections' })
    const menu = await openMenu('ak_REVOKEDrevokedREVOK')
    const del = within(menu).getByRole('menuitem', { name: 'Delete connection' })
    expect(del.getAttribute('aria-disabled')).toBe('false')
    expect(within(menu).getByRole('menuitem', { name: 'Revoke connection' }).getAttribute('aria-disabled')).toBe('true')

    await fireEvent.click(del)
    expect(ui.dialog).toEqual({ kind: 'delete', row: revoked })
    expect(screen.queryByRole('menu')).toBeNull()
  })

  it('moves with the arrow keys and closes on Escape, back on its button', async () => {
    render(ConnectionsTable, { rows: [active], label: 'Connections' })
    const button = within(rowOf('ak_ACTIVEactiveACTIVEac')).getByRole('button', { name: /^More actions/ })
    const menu = await openMenu('ak_ACTIVEactiveACTIVEac')
    expect(document.activeElement?.textContent).toBe('Revoke connection')
    await fireEvent.keyDown(menu, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toBe('Replace keys')
    await fireEvent.keyDown(menu, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(button)
  })

  it('opens Replace keys for any connection', async () => {
    render(ConnectionsTable, { rows: [active, revoked], label: 'Connections' })
    const menu = await openMenu('ak_REVOKEDrevokedREVOK')
    await fireEvent.click(within(menu).getByRole('menuitem', { name: 'Replace keys' }))
    expect(ui.dialog).toEqual({ kind: 'replace', row: revoked })
  })
})

describe('a long list', () => {
  it('puts only the rows in view into the DOM', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row({ id: i + 1, appKey: `ak_${String(i).padStart(20, '0')}` }))
    render(ConnectionsTable, { rows, label: 'Connections' })
    const shown = screen.getAllByRole('row').length - 1
    expect(shown).toBeGreaterThan(5)
    expect(shown).toBeLessThan(60)
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('10001')
  })

  describe('before and after its height is known', () => {
    let report: ((height: number) => void) | null = null
    beforeEach(() => {
      vi.stubGlobal(
        'ResizeObserver',
        class {
          constructor(cb: ResizeObserverCallback) {
            report = (height) => cb([{ contentRect: { height } } as ResizeObserverEntry], this as unknown as ResizeObserver)
          }
          observe() {}
          disconnect() {}
        },
      )
      vi.stubGlobal('innerHeight', 520)
    })
    afterEach(() => {
      vi.unstubAllGlobals()
      report = null
    })

    it('first renders only the rows that fit in the window, then those in view and a few beyond', async () => {
      const rows = Array.from({ length: 500 }, (_, i) => row({ id: i + 1, appKey: `ak_${String(i).padStart(20, '0')}` }))
      render(ConnectionsTable, { rows, label: 'Connections' })
      // 520 px of window, the table at least 120 px down, a 38 px header,
      // rows of 52 px: seven, and no more before layout.
      expect(screen.getAllByRole('row').length - 1).toBe(7)
      // The first report comes inside the first frame: the rows stay as
      // they are until that frame has been painted (a task later).
      report?.(156)
      await tick()
      expect(screen.getAllByRole('row').length - 1).toBe(7)
      await new Promise((resolve) => setTimeout(resolve))
      await tick()
      // 156 px of list: three rows in view, four more below (the overscan).
      expect(screen.getAllByRole('row').length - 1).toBe(7)
      // Once the list has a height, a new one is taken at once.
      report?.(520)
      await tick()
      expect(screen.getAllByRole('row').length - 1).toBe(14)
    })
  })
})
