// Looking for Secrets in a page: its DOM, its form values, its storage, what
// script can reach from window, and — the strongest check — a V8 heap
// snapshot taken over the DevTools protocol after a full garbage collection.
//
// The page is never given a Secret to look for (that would put it in the
// heap): it returns every string shaped like a Secret, and Node compares.

/** What a Secret looks like (DESIGN §3): sk_ + 40 base62 + 6 base62 checksum. */
export const secretPattern = /sk_[A-Za-z0-9]{46}/g

/** A Secret made safe to print: its first characters only. */
export function mask(secret) {
  return `${secret.slice(0, 7)}…(${secret.length} chars)`
}

/**
 * Searches the page for Secret-shaped strings. Returns [{ where, value }]
 * for each one found in the HTML, form values, storage, or anything
 * reachable from window (own data properties, arrays, Maps, Sets, element
 * expandos), walked breadth-first within a budget.
 */
export async function scanPage(page) {
  return page.evaluate(() => {
    const pattern = /sk_[A-Za-z0-9]{46}/g
    const found = []
    const look = (text, where) => {
      if (typeof text !== 'string' || text.length < 49) return
      for (const m of text.matchAll(pattern)) found.push({ where, value: m[0] })
    }
    const describe = (el) =>
      el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '')

    look(document.documentElement.outerHTML, 'document HTML')
    look(document.title, 'document.title')
    for (const el of document.querySelectorAll('input, textarea, select, output')) look(String(el.value ?? ''), `value of ${describe(el)}`)
    for (const [name, store] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < store.length; i++) look(store.getItem(store.key(i)) ?? '', `${name}[${store.key(i)}]`)
    }

    // Everything script can reach from window and from DOM elements'
    // expandos. Getters are not called (no side effects); closures are out of
    // reach here — the heap snapshot covers them.
    const seen = new WeakSet([Object.prototype, Function.prototype, Array.prototype])
    const queue = [[window, 'window']]
    for (const el of document.querySelectorAll('*')) queue.push([el, describe(el)])
    let budget = 300_000
    while (queue.length > 0 && budget-- > 0) {
      const [value, where] = queue.shift()
      if (typeof value === 'string') {
        look(value, where)
        continue
      }
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue
      seen.add(value)
      let keys
      try {
        keys = Reflect.ownKeys(value)
      } catch {
        continue
      }
      for (const key of keys) {
        let d
        try {
          d = Object.getOwnPropertyDescriptor(value, key)
        } catch {
          continue
        }
        if (!d || !('value' in d)) continue
        if (value === window && (key === 'window' || key === 'self' || key === 'frames' || key === 'globalThis')) continue
        queue.push([d.value, `${where}.${String(key)}`])
      }
      try {
        if (value instanceof Map) for (const [k, v] of value) queue.push([k, `${where}<key>`], [v, `${where}<value>`])
        if (value instanceof Set) for (const v of value) queue.push([v, `${where}<item>`])
      } catch {
        // a cross-realm or revoked proxy; nothing to read
      }
    }
    return found
  })
}

// heapAttempts is how many snapshots, about 3 s in all, a Secret may take to
// leave the heap once nothing of the page refers to it.
const heapAttempts = 4

/**
 * Takes a heap snapshot of the page's JavaScript (after collecting garbage
 * twice, so only what is still referenced counts) and returns its text.
 */
export async function heapSnapshot(page) {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    const chunks = []
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk))
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    await cdp.send('HeapProfiler.disable')
    return chunks.join('')
  } finally {
    await cdp.detach()
  }
}

/**
 * Looks for each of secrets in the page in every way above. Returns
 * { page: [{where, value}], heap: [secret], heapShaped: n, heapBytes }
 * where page lists Secret-shaped strings (known or not) and heap the known
 * Secrets the snapshot holds.
 */
export async function findSecrets(page, secrets) {
  const t0 = Date.now()
  const inPage = await scanPage(page)
  const t1 = Date.now()
  // A closed dialog's teardown and the engine's own buffers (the last IPC
  // message) can hold a string for a moment after the page has let go of
  // it: look again a few times, a little later each, before calling it kept.
  let snapshot = ''
  let heap = []
  for (let attempt = 1; attempt <= heapAttempts; attempt++) {
    snapshot = await heapSnapshot(page)
    heap = secrets.filter((s) => snapshot.includes(s))
    if (heap.length === 0) break
    if (attempt < heapAttempts) await new Promise((r) => setTimeout(r, 500 * attempt))
  }
  if (process.env.E2E_DEBUG) console.log(`      (scan ${t1 - t0} ms, heap snapshots ${Date.now() - t1} ms)`)
  const shaped = new Set(snapshot.match(secretPattern) ?? [])
  const retainedBy = heap.length > 0 ? retainers(snapshot, heap[0]) : []
  return { page: inPage, heap, heapShaped: [...shaped], heapBytes: snapshot.length, retainedBy }
}

/**
 * What keeps a string holding secret alive: for up to three such strings in
 * the heap snapshot, the chain of objects from it towards a GC root, e.g.
 * "string ← [secret] Object ← [keys] Object ← [context] closure". Secrets in
 * the output are masked.
 */
export function retainers(snapshotText, secret) {
  const snap = JSON.parse(snapshotText)
  const meta = snap.snapshot.meta
  const nf = meta.node_fields.length
  const ef = meta.edge_fields.length
  const [typeOff, nameOff, edgeCountOff] = ['type', 'name', 'edge_count'].map((f) => meta.node_fields.indexOf(f))
  const [eTypeOff, eNameOff, eToOff] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f))
  const nodeTypes = meta.node_types[typeOff]
  const edgeTypes = meta.edge_types[eTypeOff]
  const { nodes, edges, strings } = snap
  const rev = new Map() // node index → [{ from, label }]
  for (let n = 0, e = 0; n < nodes.length; n += nf) {
    const count = nodes[n + edgeCountOff]
    for (let k = 0; k < count; k++, e += ef) {
      const to = edges[e + eToOff]
      const type = edgeTypes[edges[e + eTypeOff]]
      if (type === 'weak') continue
      const nameOrIndex = edges[e + eNameOff]
      const label = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : String(strings[nameOrIndex])
      if (!rev.has(to)) rev.set(to, [])
      rev.get(to).push({ from: n, label: `${type}:${label}` })
    }
  }
  const describe = (n) => {
    const name = String(strings[nodes[n + nameOff]]).replaceAll(secret, mask(secret))
    return `${nodeTypes[nodes[n + typeOff]]} ${JSON.stringify(name.slice(0, 80))}`
  }
  const out = []
  for (let n = 0; n < nodes.length && out.length < 3; n += nf) {
    if (!String(strings[nodes[n + nameOff]]).includes(secret)) continue
    // Breadth first towards a root, so the shortest chain is shown.
    const prev = new Map([[n, null]])
    const queue = [n]
    let end = n
    while (queue.length > 0) {
      const cur = queue.shift()
      end = cur
      const from = rev.get(cur) ?? []
      if (from.length === 0 || cur === 0) break
      for (const r of from) {
        if (!prev.has(r.from)) {
          prev.set(r.from, { to: cur, label: r.label })
          queue.push(r.from)
        }
      }
      if (prev.size > 200_000) break
    }
    const chain = []
    for (let cur = end; cur !== n && prev.get(cur); cur = prev.get(cur).to) chain.push(`${describe(cur)} -[${prev.get(cur).label}]->`)
    out.push([...chain, describe(n)].join('\n        '))
  }
  return out
}
