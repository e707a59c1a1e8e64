import { mount } from 'svelte'
import App from './App.svelte'
import { takeBoot } from './lib/boot'
import { afterFrame } from './lib/frame'
import { settingLocale } from './lib/i18n'

/** The platform as app.css's data-platform names it. */
export type Platform = 'mac' | 'windows' | 'linux'

export function platformOf(platform: string): Platform {
  if (platform.startsWith('Mac')) return 'mac'
  if (platform.startsWith('Win')) return 'windows'
  return 'linux'
}

/**
 * Runs fn after the next frame has been painted, once the tasks that frame
 * queued (the page's marks) have run.
 */
function afterFirstFrame(fn: () => void) {
  void afterFrame().then(() => setTimeout(fn))
}

/**
 * Starts the window in target with the page's boot data (lib/boot.ts).
 *
 * Go may have put the first screen into target, rendered from the same
 * boot data (app/firstscreen.go, ssr.ts): WebKit paints it as it loads the
 * page, and the window mounts over it after that first frame, in one task,
 * so the next frame shows the same screen, now live. Mounting costs ~16 ms,
 * most of it JavaScriptCore compiling the code it runs for the first time;
 * the first frame does not wait for that. Over a first screen rendered for
 * another window (language, height, platform) the window mounts at once,
 * as it does without one.
 *
 * Resolves with the mounted window (tests unmount it).
 */
export function startWindow(target: HTMLElement, platform: Platform, later = afterFirstFrame): Promise<ReturnType<typeof mount>> {
  const boot = takeBoot(target.ownerDocument)
  const html = target.ownerDocument.documentElement
  html.dataset.boot = boot ? 'page' : 'calls'
  const start = () => {
    target.replaceChildren()
    target.removeAttribute('inert')
    delete target.dataset.firstScreen
    return mount(App, { target, props: { boot } })
  }
  const rendered = target.dataset.firstScreen
  const expected = boot ? `${settingLocale(boot.status.language)} ${window.innerHeight} ${platform}` : ''
  if (!rendered || rendered !== expected) return Promise.resolve(start())
  return new Promise((resolve) => later(() => resolve(start())))
}

