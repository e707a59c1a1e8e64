// What the journey checks outside the browser: the X clipboard of the
// display the app runs on, and the data folder through Koppel's command line.
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Reads the CLIPBOARD selection of $DISPLAY with xclip, waiting up to
 * timeoutMs for it to hold text that passes accept. Whoever copied (the Go
 * side through GTK, or Chromium on the same display) owns the selection;
 * xclip asks the owner, so this is what a paste elsewhere would get.
 */
export async function readClipboard({ accept = (t) => t.length > 0, timeoutMs = 5000 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let text = ''
    try {
      const { stdout } = await run('xclip', ['-o', '-selection', 'clipboard'], { timeout: 3000 })
      text = stdout
    } catch {
      // nothing owns the clipboard, or its owner offers no text: empty
    }
    if (accept(text) || Date.now() > deadline) return text
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Puts text on the clipboard (owned by xclip until someone else copies). */
export async function writeClipboard(text) {
  // xclip forks a child that serves the selection until another program
  // takes it; the parent exits once the text is read.
  const child = spawn('xclip', ['-selection', 'clipboard'], { stdio: ['pipe', 'ignore', 'ignore'] })
  child.stdin.end(text)
  const code = await new Promise((resolve, reject) => child.on('error', reject).on('exit', resolve))
  if (code !== 0) throw new Error(`xclip exited with ${code}`)
}

/**
 * Runs `koppel ARGS --json` on the same data folder as the window
 * (KOPPEL_HOME and the keyring settings come from the environment) and
 * returns the parsed output. Throws with stderr when it exits non-zero.
 */
export async function koppel(...args) {
  try {
    const { stdout } = await run('koppel', [...args, '--json'], { timeout: 20_000 })
    return JSON.parse(stdout)
  } catch (err) {
    const detail = err.stderr ? `: ${String(err.stderr).trim()}` : ''
    throw new Error(`koppel ${args.join(' ')} failed${detail || `: ${err.message}`}`)
  }
}

/**
 * Parses the Quick Connect text of DESIGN §3 (labels in English or Dutch):
 * returns { header, appKey, secret, organization } or throws saying what is
 * missing.
 */
export function parseQuickConnect(text) {
  const lines = text.replace(/\r\n/g, '\n').trim().split('\n')
  const field = (labels) => {
    for (const line of lines) {
      const m = line.match(/^([^:]+):\s*(.*)$/)
      if (m && labels.includes(m[1].trim().toLowerCase())) return m[2].trim()
    }
    return undefined
  }
  const parsed = {
    header: lines[0]?.trim(),
    appKey: field(['app key', 'applicatiesleutel']),
    secret: field(['secret', 'geheime sleutel']),
    organization: field(['organization', 'organisatie']),
  }
  const missing = Object.entries(parsed).filter(([, v]) => !v).map(([k]) => k)
  if (missing.length > 0) throw new Error(`the Quick Connect text lacks ${missing.join(', ')}:\n${redact(text)}`)
  return parsed
}

/** text with anything Secret-shaped masked, for messages. */
export function redact(text) {
  return text.replace(/sk_[A-Za-z0-9]{46}/g, (s) => `${s.slice(0, 7)}…`)
}
