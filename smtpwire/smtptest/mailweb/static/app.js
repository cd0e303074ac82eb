// smtpsh serve: the page over /api/v1. No framework, no build step.
"use strict";

const $ = (sel) => document.querySelector(sel);
const api = (path, opts) => fetch("api/v1/" + path, opts).then((r) => {
  if (!r.ok) return r.json().then((e) => Promise.reject(new Error(e.error || r.statusText)));
  return r.status === 204 ? null : r.json();
});

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

const time = (s) => new Date(s).toLocaleTimeString();
const state = { messages: [], sessions: [], message: null, session: null, total: 0 };

// ---- tabs
for (const b of document.querySelectorAll(".tab")) {
  b.addEventListener("click", () => show(b.dataset.view));
}
function show(view) {
  for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b.dataset.view === view);
  for (const v of ["messages", "sessions", "faults"]) $("#view-" + v).hidden = v !== view;
  if (view === "faults") loadFaults();
}

// ---- messages
function messageRow(m, fresh) {
  const tr = el("tr", { "data-id": m.id, class: fresh ? "new" : "", onclick: () => openMessage(m.id) },
    el("td", {}, time(m.received)), el("td", { title: m.from }, m.from || "<>"),
    el("td", { title: m.to.join(", ") }, m.to.join(", ")), el("td", { title: m.subject }, m.subject || "(no subject)"));
  if (m.id === state.message) tr.classList.add("selected");
  return tr;
}
function matchesFilter(m) {
  const f = $("#filter").value.trim().toLowerCase();
  return !f || m.from.toLowerCase().includes(f) || m.to.some((t) => t.toLowerCase().includes(f)) || m.subject.toLowerCase().includes(f);
}
function renderMessages(freshIDs) {
  const body = $("#messages tbody");
  body.replaceChildren(...state.messages.filter(matchesFilter).map((m) => messageRow(m, freshIDs && freshIDs.has(m.id))));
  $("#count-messages").textContent = state.total;
}
function loadMessages() {
  return api("messages?limit=500").then((l) => { state.messages = l.messages; state.total = l.total; renderMessages(); });
}
$("#filter").addEventListener("input", () => renderMessages());
$("#delete-all").addEventListener("click", () => api("messages", { method: "DELETE" }).then(loadMessages));

function openMessage(id) {
  state.message = id;
  for (const tr of document.querySelectorAll("#messages tr")) tr.classList.toggle("selected", tr.dataset.id === id);
  api("messages/" + encodeURIComponent(id)).then(renderMessage, (e) => $("#message").replaceChildren(el("p", {}, e.message)));
}
function renderMessage(m) {
  const meta = el("dl", { class: "meta" });
  const add = (k, v) => { if (v) meta.append(el("dt", {}, k), el("dd", {}, v)); };
  add("ID", m.id); add("From", m.from || "<>"); add("To", m.to.join(", ")); add("Subject", m.subject);
  add("Received", new Date(m.received).toString()); add("Size", m.size + " octets");
  add("Session", m.session); add("HELO", m.helo); add("Client", m.remote);
  add("TLS", m.tls ? "yes" : "no"); add("AUTH", m.auth_user);
  add("Body", [m.body, m.smtputf8 ? "SMTPUTF8" : "", m.chunked ? "BDAT chunks" : ""].filter(Boolean).join(", "));
  if (m.dsn && (m.dsn.ret || m.dsn.envid || (m.dsn.notify || []).some(Boolean))) add("DSN", JSON.stringify(m.dsn));
  if (m.parse_error) add("Parse error", m.parse_error);
  const pane = el("div", { id: "part" });
  const parts = el("div", { class: "parts" });
  const views = {
    Text: () => el("pre", { class: "text" }, m.text),
    Headers: () => el("pre", {}, m.headers.map((h) => h.name + ": " + h.value).join("\n")),
    Raw: () => { const p = el("pre", { class: "raw" }, "loading..."); fetch("api/v1/messages/" + m.id + "/raw").then((r) => r.text()).then((t) => { p.textContent = t; }); return p; },
    Attachments: () => el("ul", {}, ...m.attachment_list.map((a) => el("li", {},
      el("a", { href: "api/v1/messages/" + m.id + "/attachments/" + a.index }, a.filename || "part " + a.index),
      " " + a.content_type + ", " + a.size + " octets"))),
  };
  if (m.has_html) {
    // The HTML was sanitised by the server; the sandbox (no scripts, an
    // opaque origin) and the CSP of its answer keep it from doing harm.
    views.HTML = () => el("iframe", { class: "html", sandbox: "", referrerpolicy: "no-referrer", src: "api/v1/messages/" + m.id + "/html" });
  }
  const pick = (name) => {
    for (const b of parts.children) b.classList.toggle("active", b.textContent === name);
    pane.replaceChildren(views[name]());
  };
  for (const name of Object.keys(views)) {
    if (name === "Attachments" && !m.attachment_list.length) continue;
    parts.append(el("button", { onclick: () => pick(name) }, name));
  }
  $("#message").replaceChildren(el("h2", {}, m.subject || "(no subject)"), meta,
    el("a", { class: "button", href: "api/v1/messages/" + m.id + "/raw?download" }, "Download .eml"), " ",
    el("a", { class: "button", href: "#", onclick: (e) => { e.preventDefault(); show("sessions"); openSession(m.session); } }, "Show its session"),
    parts, pane);
  pick(m.has_html ? "HTML" : "Text");
}

// ---- sessions
function sessionRow(s) {
  const tr = el("tr", { "data-id": s.id, onclick: () => openSession(s.id) },
    el("td", {}, time(s.start)), el("td", { title: s.remote }, (s.helo || "") + " " + s.remote),
    el("td", {}, s.tls ? s.tls.version : ""), el("td", {}, s.auth_user || ""),
    el("td", {}, String(s.messages.length) + (s.end ? "" : " (open)")));
  if (s.id === state.session) tr.classList.add("selected");
  return tr;
}
function renderSessions() {
  $("#sessions tbody").replaceChildren(...state.sessions.map(sessionRow));
  $("#count-sessions").textContent = state.sessions.length;
}
function loadSessions() {
  return api("sessions?limit=500").then((l) => { state.sessions = l.sessions; renderSessions(); });
}
function openSession(id) {
  state.session = id;
  for (const tr of document.querySelectorAll("#sessions tr")) tr.classList.toggle("selected", tr.dataset.id === id);
  api("sessions/" + encodeURIComponent(id)).then(renderSession, (e) => $("#session").replaceChildren(el("p", {}, e.message)));
}
function renderSession(s) {
  const meta = el("dl", { class: "meta" });
  const add = (k, v) => { if (v) meta.append(el("dt", {}, k), el("dd", {}, v)); };
  add("ID", s.id); add("Client", s.remote); add("Server", s.local); add("HELO", s.helo);
  add("Started", new Date(s.start).toString());
  add("Duration", s.end ? ((new Date(s.end) - new Date(s.start)) / 1000).toFixed(3) + " s" : "still open");
  add("TLS", s.tls ? `${s.tls.version}, ${s.tls.cipher_suite}${s.tls.server_name ? ", SNI " + s.tls.server_name : ""}${s.implicit_tls ? " (implicit)" : " (STARTTLS)"}` : "none");
  add("AUTH", s.auth_user ? `${s.auth_mech} as ${s.auth_user}` : "");
  add("Messages", s.messages.join(", "));
  if (s.lines_dropped) add("Note", s.lines_dropped + " lines past the log's limit are not shown");
  const wire = el("div", { class: "wire" });
  for (const l of s.lines) {
    wire.append(el("div", { class: "line " + l.dir }, el("span", { class: "t" }, "+" + l.offset_ms.toFixed(1) + "ms"),
      el("span", {}, l.dir + ":"), el("span", { class: "text" }, l.text)));
    if (l.explain) wire.append(el("div", { class: "explain" }, l.explain.join("\n")));
  }
  $("#session").replaceChildren(el("h2", {}, "Session " + s.id), meta,
    el("a", { class: "button", href: "api/v1/sessions/" + s.id + "/transcript" }, "Download transcript (smtpsh replay)"), wire);
}

// ---- faults
function loadFaults() {
  api("faults").then((f) => { $("#faults").value = f.rules.join("\n"); $("#faults-status").textContent = ""; },
    (e) => { $("#faults-status").textContent = e.message; });
}
$("#faults-save").addEventListener("click", () => {
  const rules = $("#faults").value.split("\n").map((s) => s.trim()).filter(Boolean);
  api("faults", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rules }) })
    .then((f) => { $("#faults").value = f.rules.join("\n"); $("#faults-status").textContent = "saved"; },
      (e) => { $("#faults-status").textContent = e.message; });
});

// ---- live updates
function connect() {
  const es = new EventSource("api/v1/events");
  let opened = false;
  es.onopen = () => {
    $("#live").className = "live on"; $("#live").textContent = "live";
    // A stream starts from now: after a reconnection, catch up on the gap.
    if (opened) { loadMessages(); loadSessions(); }
    opened = true;
  };
  es.onerror = () => { $("#live").className = "live off"; $("#live").textContent = "reconnecting"; };
  es.addEventListener("update", (ev) => {
    const u = JSON.parse(ev.data);
    state.total = u.total;
    if (u.skipped) { loadMessages(); } else if (u.messages.length) {
      const fresh = new Set(u.messages.map((m) => m.id));
      state.messages = u.messages.slice().reverse().concat(state.messages).slice(0, 500);
      renderMessages(fresh);
    } else if (u.total < state.messages.length) { loadMessages(); } else { renderMessages(); }
    if (u.sessions.length) {
      const byID = new Map(state.sessions.map((s) => [s.id, s]));
      for (const s of u.sessions) byID.set(s.id, s);
      state.sessions = [...byID.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 500);
      renderSessions();
      if (u.sessions.some((s) => s.id === state.session)) openSession(state.session);
    }
  });
}
loadMessages();
loadSessions();
connect();
