// bench-mark.js: put into the benchmark builds of Koppel and of the bare
// Wails template (scripts/bench-ui.sh copies it into frontend/public and
// links it from index.html; never into the product). It reports moments as
// wall-clock times through the Wails runtime's logger, which reaches the
// process's output even in production builds (runtime.LogError), as lines
//   bench-mark NAME EPOCH_MS [DETAIL]
// e2e/bench-ui.mjs reads them and subtracts the time it started the process.
//
// Marks: nav (the page's navigation start), dom (DOMContentLoaded), paint
// (the first frame painted after DOMContentLoaded: what the page shows
// then, in both programs, for comparing like with like), overview-dom
// (Koppel: connection rows — App Keys — are in the DOM, not yet painted),
// overview (the same, and a frame has been painted after), first-screen
// (Koppel: the page came with the first screen Go kept when the window
// last closed, app/firstscreen.go; main.ts had not mounted over it by
// DOMContentLoaded, so it was the one shown), and search
// samples (Koppel: one keystroke in the
// overview's search field until the list shows the matches, then the next
// painted frame).
;(() => {
  'use strict'

  const queue = []
  function send(line) {
    queue.push(line)
    flush()
  }
  function flush() {
    const log = window.runtime && window.runtime.LogError
    if (!log) {
      setTimeout(flush, 5)
      return
    }
    while (queue.length > 0) log(queue.shift())
  }
  function mark(name, epochMs, detail) {
    send(`bench-mark ${name} ${epochMs.toFixed(1)}${detail ? ` ${detail}` : ''}`)
  }
  const epochNow = () => performance.timeOrigin + performance.now()
  // The next painted frame: a requestAnimationFrame callback runs before the
  // frame is drawn; a task queued from it runs after.
  const afterNextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
  document.addEventListener('DOMContentLoaded', () => afterNextPaint().then(() => mark('paint', epochNow())))

  mark('nav', performance.timeOrigin)
  document.addEventListener('DOMContentLoaded', () => {
    mark('dom', epochNow())
    if (document.querySelector('#app[data-first-screen]')) mark('first-screen', epochNow())
  })

  // An App Key as DESIGN §3 writes it: the overview shows connection rows.
  const appKey = /ak_[A-Za-z0-9]{20}/
  function overviewShown() {
    return document.body !== null && appKey.test(document.body.textContent || '')
  }

  function watchOverview() {
    let done = false
    const check = () => {
      if (done || !overviewShown()) return
      done = true
      observer.disconnect()
      mark('overview-dom', epochNow())
      afterNextPaint().then(() => {
        mark('overview', epochNow())
        setTimeout(searchBench, SEARCH_AFTER_MS)
      })
    }
    const observer = new MutationObserver(check)
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true })
    check()
  }
  document.addEventListener('DOMContentLoaded', watchOverview)

  // --- search: keystroke → updated list -----------------------------------

  // After the overview: e2e/bench-ui.mjs samples memory from +4 s to +7 s;
  // the search runs after that, so that it does not disturb the idle figure.
  const SEARCH_AFTER_MS = 8000
  // Pairs of (text already typed, text after one more keystroke). The seed
  // (scripts/seed) names organizations "<trade> <family> <form>". The
  // window matches every word of the search anywhere in a row (package, App
  // Key, organization, party ID), so each final keystroke completes a word
  // that fewer rows contain: the list must change to show the result.
  const SEARCHES = [
    ['Smit', 'Smits'],
    ['De', 'Dek'],
    ['Vo', 'Vos'],
    ['Bakker', 'Bakkeri'],
    ['Ho', 'Hol'],
    ['Kapsalon Smit', 'Kapsalon Smits'],
    ['Be', 'Ber'],
  ]
  const ROWS = '[role="option"], [role="row"]:not(:has([role="columnheader"])), tbody tr, [role="listitem"]'
  const SETTLE_TIMEOUT_MS = 5000

  // The connections' search field if the page has one (the overview of all
  // connections), else the first search field.
  function searchField() {
    const fields = [...document.querySelectorAll('input[type="search"], input[role="searchbox"]')]
    const label = (el) =>
      [el.getAttribute('aria-label'), ...[...(el.labels || [])].map((l) => l.textContent), el.placeholder].join(' ')
    return fields.find((el) => /search connections|verbindingen zoeken/i.test(label(el))) || fields[0] || null
  }

  // The rows of the list the search field filters: those in the nearest
  // container of the field that has any.
  function rowsFor(input) {
    for (let el = input.parentElement; el; el = el.parentElement) {
      const rows = [...el.querySelectorAll(ROWS)].filter((r) => r.getClientRects().length > 0)
      if (rows.length > 0) return rows
    }
    return []
  }

  // Whether every row shown contains every word of text (and there are rows).
  function listShows(input, text) {
    const rows = rowsFor(input)
    const words = text.toLowerCase().split(/\s+/).filter(Boolean)
    return rows.length > 0 && rows.every((r) => {
      const t = (r.textContent || '').toLowerCase()
      return words.every((w) => t.includes(w))
    })
  }

  function type(input, value) {
    input.focus()
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set
    setter.call(input, value)
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value.slice(-1) }))
  }

  // Resolves with the time the list first shows text (checked on every DOM
  // change), or null after the timeout.
  function whenListShows(input, text) {
    return new Promise((resolve) => {
      const finish = (at) => {
        observer.disconnect()
        clearTimeout(timer)
        resolve(at)
      }
      const observer = new MutationObserver(() => listShows(input, text) && finish(performance.now()))
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true })
      const timer = setTimeout(() => finish(null), SETTLE_TIMEOUT_MS)
    })
  }

  async function searchBench() {
    const input = searchField()
    if (!input) {
      mark('search-error', epochNow(), 'no-search-field')
      return
    }
    for (const [before, after] of SEARCHES) {
      type(input, before)
      await new Promise((r) => setTimeout(r, 600)) // any debounce has fired, the list has settled
      const shown = whenListShows(input, after)
      const start = performance.now()
      type(input, after)
      const updated = await shown
      if (updated === null) {
        mark('search-error', epochNow(), `timeout:${encodeURIComponent(after)}`)
        continue
      }
      await afterNextPaint()
      const painted = performance.now()
      mark('search', epochNow(), `dom=${(updated - start).toFixed(1)} paint=${(painted - start).toFixed(1)}`)
    }
    type(input, '')
    mark('search-done', epochNow())
  }
})()
