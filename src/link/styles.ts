// The one stylesheet of the hosted Link pages, served at /link/styles.css. Plain CSS, phone-first, high contrast,
// visible focus rings. The portal may restyle it; keep class names stable: .card .actions .btn .btn-secondary
// .choices .choice .choice-disabled .note .error .success .muted.
export const LINK_CSS = `
:root { --fg:#1b1f24; --muted:#57606a; --bg:#f6f8fa; --card:#fff; --line:#d0d7de; --accent:#0b5cad; --accent-fg:#fff;
  --danger:#a40e26; --ok:#116329; --radius:10px; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg); line-height:1.5; font-size:1rem; }
header.top { padding:12px 16px; border-bottom:1px solid var(--line); background:var(--card); font-weight:600; }
main { max-width:34rem; margin:0 auto; padding:16px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:var(--radius); padding:20px; margin:16px 0; }
h1 { font-size:1.4rem; margin:0 0 12px; }
p { margin:0 0 12px; }
.muted { color:var(--muted); font-size:.95rem; }
.note { background:#fff8c5; border:1px solid #d4a72c; border-radius:6px; padding:10px 12px; }
.error { background:#ffebe9; border:1px solid #ff8182; border-radius:6px; padding:10px 12px; color:var(--danger); }
.success { background:#dafbe1; border:1px solid #4ac26b; border-radius:6px; padding:10px 12px; color:var(--ok); }
fieldset { border:0; padding:0; margin:0 0 16px; }
legend { font-weight:600; margin-bottom:8px; }
.choices { display:grid; gap:8px; }
.choice { display:flex; gap:10px; align-items:flex-start; padding:12px; border:1px solid var(--line); border-radius:8px;
  cursor:pointer; min-height:44px; }
.choice:focus-within { outline:3px solid var(--accent); outline-offset:2px; }
.choice input { flex:none; margin-top:4px; width:1.1rem; height:1.1rem; }
.choice-disabled { opacity:.7; cursor:not-allowed; background:var(--bg); }
.choice .reason { display:block; color:var(--danger); font-size:.9rem; }
.actions { display:flex; flex-wrap:wrap; gap:8px; margin-top:16px; }
.btn { display:inline-block; border:1px solid var(--accent); background:var(--accent); color:var(--accent-fg);
  padding:10px 18px; border-radius:8px; font-size:1rem; font-weight:600; text-decoration:none; cursor:pointer;
  min-height:44px; }
.btn:focus-visible, a:focus-visible { outline:3px solid #f5a623; outline-offset:2px; }
.btn-secondary { background:var(--card); color:var(--accent); }
ul.next { padding-left:1.2rem; }
`;
