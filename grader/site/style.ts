// The site's one stylesheet: readable from a phone to a laptop, light and dark.
// Colours are GitHub's Primer palette, which keeps text at 4.5:1 or more on both backgrounds.
export const stylesheet = `:root {
  color-scheme: light dark;
  --text: #1f2328; --muted: #59636e; --background: #ffffff; --surface: #f6f8fa;
  --border: #d1d9e0; --link: #0969da; --wrong: #cf222e; --partial: #9a6700;
  --keyword: #cf222e; --string: #0a3069; --comment: #59636e; --number: #0550ae;
  --title: #8250df; --type: #953800;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #e6edf3; --muted: #9198a1; --background: #0d1117; --surface: #161b22;
    --border: #3d444d; --link: #4493f8; --wrong: #ff7b72; --partial: #d29922;
    --keyword: #ff7b72; --string: #a5d6ff; --comment: #9198a1; --number: #79c0ff;
    --title: #d2a8ff; --type: #ffa657;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 48rem; padding: 0 1rem 3rem;
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--text); background: var(--background);
}
a { color: var(--link); }
header.site { padding: 1rem 0 0.5rem; font-weight: 600; }
header.site a { color: var(--text); text-decoration: none; }
.pager { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; padding: 0.5rem 0; border-block: 1px solid var(--border); font-size: 0.95rem; }
.pager [rel="next"] { margin-left: auto; }
.position { color: var(--muted); margin: 1.5rem 0 0; font-size: 0.95rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0.25rem 0 1rem; }
h2 { font-size: 1.4rem; margin-top: 2.2rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.15rem; margin-top: 1.8rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
:not(pre) > code { background: var(--surface); border: 1px solid var(--border); border-radius: 4px; padding: 0 0.25em; overflow-wrap: anywhere; }
pre { background: var(--surface); border: 1px solid var(--border); border-radius: 6px; padding: 0.75rem 1rem; overflow-x: auto; line-height: 1.45; }
.code-label { margin: 1rem 0 -0.5rem; font-size: 0.85rem; font-weight: 600; }
.code-wrong .code-label { color: var(--wrong); }
.code-wrong pre { border-left: 4px solid var(--wrong); }
.code-partial .code-label { color: var(--partial); }
.code-partial pre { border-left: 4px solid var(--partial); }
blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 4px solid var(--border); color: var(--muted); }
table { display: block; overflow-x: auto; border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
th { background: var(--surface); }
.picture { overflow-x: auto; margin: 1.5rem 0; }
.picture img { display: block; width: 100%; min-width: 34rem; height: auto; }
.glance, .missing { background: var(--surface); border: 1px solid var(--border); border-radius: 6px; padding: 0.5rem 0.75rem; }
.missing { border-color: var(--partial); }
.repo-path { font-style: italic; }
ol.lessons { list-style: none; padding: 0; }
ol.lessons li { display: grid; grid-template-columns: 2rem 1fr; margin: 0 0 1.1rem; }
ol.lessons .number { font-size: 1.15rem; font-weight: 600; color: var(--muted); }
ol.lessons a { font-size: 1.15rem; font-weight: 600; text-decoration: none; }
ol.lessons a:hover { text-decoration: underline; }
ol.lessons p { margin: 0.2rem 0 0; color: var(--muted); }
.hljs-keyword, .hljs-selector-tag, .hljs-deletion { color: var(--keyword); }
.hljs-string, .hljs-regexp, .hljs-addition, .hljs-template-tag { color: var(--string); }
.hljs-comment, .hljs-quote, .hljs-meta { color: var(--comment); font-style: italic; }
.hljs-number, .hljs-literal, .hljs-attr, .hljs-variable.constant_, .hljs-property { color: var(--number); }
.hljs-title, .hljs-title.function_, .hljs-section { color: var(--title); }
.hljs-type, .hljs-built_in, .hljs-title.class_, .hljs-variable.language_ { color: var(--type); }
@media (max-width: 30rem) {
  body { font-size: 1rem; padding: 0 0.75rem 2rem; }
  h1 { font-size: 1.6rem; }
}
`;
