import type { GoError } from './api'
import { errorText, t } from './i18n'

/**
 * Why a link test failed, in the chosen language. Go names the API's
 * address when it knows one; without a running API it has none.
 */
export function testProblemText(problem: GoError | undefined): string {
  if (!problem) return t('error.internal')
  if (problem.key === 'link.api_down' && !problem.params?.addr) {
    return errorText({ ...problem, params: { ...problem.params, addr: t('link.apiNotRunning') } })
  }
  return errorText(problem)
}
