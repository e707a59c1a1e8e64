import type { Software } from './api'
import { t } from './i18n'

/** What a package does with invoices, in words: "Receive (purchase + sales)". */
export function directionText(s: Software): string {
  switch (s.direction) {
    case 'send':
      return t('direction.send')
    case 'receive':
      return t(s.receivesSales ? 'direction.receiveSales' : 'direction.receive')
    case 'send+receive':
      return t(s.receivesSales ? 'direction.sendReceiveSales' : 'direction.sendReceive')
  }
  return s.direction
}
