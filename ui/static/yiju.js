() => {
  /* Yiju page behaviour (loaded once by Gradio): question counters, the empty-question and one-at-a-time
     guards, clickable [n] markers, the clause panel kept in step with the answer being read, scrolling to an
     answer's top, the copy fallback, the login cookie, and Chinese for Gradio's own English labels. */
  const LIMITS = {'officer-q': 1000, 'public-q': 500};
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function counterFor(box) {
    let c = box.querySelector('.counter');
    if (!c) { c = document.createElement('div'); c.className = 'counter'; c.setAttribute('aria-live', 'polite');
      box.appendChild(c); }
    return c;
  }
  function count(area) {
    const box = area.closest('#officer-q, #public-q'); if (!box) return;
    const limit = LIMITS[box.id], n = area.value.trim().length, c = counterFor(box);
    c.classList.toggle('over', n > limit);
    c.textContent = n > limit ? `${n} / ${limit} 字：超出部分不会被检索，只按前 ${limit} 字回答` : `${n} / ${limit} 字`;
  }
  /* a question per box at a time: a second Enter while the first is answered would reorder the chat */
  const busy = {};
  function refused(boxId) {
    const area = $(`#${boxId} textarea`); if (!area) return false;
    const c = counterFor(area.closest(`#${boxId}`));
    if (!area.value.trim()) { c.classList.add('over'); c.textContent = '请输入问题。'; return true; }
    if (busy[boxId] && Date.now() - busy[boxId] < 120000) {
      c.classList.add('over'); c.textContent = '上一个问题正在检索，请稍候…'; return true; }
    busy[boxId] = Date.now();
    return false;
  }
  window.yijuDone = (boxId) => { delete busy[boxId]; };
  document.addEventListener('input', (e) => { if (e.target.matches('#officer-q textarea, #public-q textarea')) count(e.target); });
  document.addEventListener('click', (e) => {
    const send = e.target.closest('#officer-send, #public-send');
    if (send && refused(send.id === 'officer-send' ? 'officer-q' : 'public-q')) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    const box = e.target.closest('#officer-q, #public-q');
    if (box && refused(box.id)) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);

  /* the clause panel shows the section of one answer; [n] selects card n of that answer */
  function showSection(aid) {
    const secs = $$('#clause-panel section.answer-cites'); if (!secs.length) return null;
    let hit = null;
    for (const s of secs) { const on = s.dataset.aid === aid; s.hidden = !on; if (on) hit = s; }
    if (!hit) { secs.forEach((s, i) => { s.hidden = i !== secs.length - 1; }); }
    return hit;
  }
  window.yijuShowSection = showSection;
  /* an automatic update that was due before the officer picked a marker does not undo that choice */
  let picked = 0;
  const follow = (aid, since) => { if (since >= picked) showSection(aid); };
  const aidOf = (top) => top.id.replace(/^answer-/, '');
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a.cite'); if (!a) return;
    e.preventDefault();
    /* the chat's sanitiser keeps href and id but not data-* attributes: "#cite-<answer id>-<n>" */
    const m = (a.getAttribute('href') || '').match(/^#cite-([0-9a-f]+)-(\d+)$/); if (!m) return;
    picked = performance.now();
    const sec = showSection(m[1]); if (!sec) return;
    $$('.clause.flash').forEach((c) => c.classList.remove('flash'));
    const card = sec.querySelector(`.clause[data-n="${m[2]}"]`);
    if (card) { card.classList.add('flash'); card.scrollIntoView({behavior: 'smooth', block: 'nearest'}); card.focus({preventScroll: true}); }
  });
  /* while the officer scrolls the chat, the panel follows the answer being read */
  let ticking = false;
  document.addEventListener('scroll', (e) => {
    const chat = $('#officer-chat'); if (!chat || !chat.contains(e.target) || ticking) return;
    ticking = true;
    const at = performance.now();
    requestAnimationFrame(() => {
      ticking = false;
      const view = e.target.getBoundingClientRect(), tops = $$('.answer-top', chat);
      let current = null;
      for (const t of tops) { if (t.getBoundingClientRect().top <= view.top + view.height / 2) current = t; }
      if (current) follow(aidOf(current), at);
    });
  }, true);
  /* after an answer: show its top (the disclaimer comes last); while waiting: show the pending bubble */
  function scroller(chatId) {
    const chat = $(`#${chatId}`); if (!chat) return null;
    return $$('*', chat).find((el) => el.scrollHeight > el.clientHeight + 4 &&
      ['auto', 'scroll'].includes(getComputedStyle(el).overflowY)) || null;
  }
  window.yijuToAnswer = (chatId) => {
    window.yijuDone(chatId === 'officer-chat' ? 'officer-q' : 'public-q');
    const asked = performance.now();
    const go = () => {
      $$('#officer-q textarea, #public-q textarea').forEach(count);  /* the box was emptied by the server */
      const box = scroller(chatId), tops = $$(`#${chatId} .answer-top`);
      const top = tops[tops.length - 1];
      /* the answer's first line (its message bubble's top) at the top of the chat's view */
      const start = top && (top.closest('.message, .bot, [data-testid="bot"]') || top);
      /* 36px: the chat's label sits over the top of its scrolled area */
      if (box && start) box.scrollTop += start.getBoundingClientRect().top - box.getBoundingClientRect().top - 36;
      if (chatId === 'officer-chat' && top) follow(aidOf(top), asked);
    };
    setTimeout(go, 80);
    setTimeout(go, 500);  /* again once late layout (tables, fonts) has settled */
  };
  window.yijuToBottom = (chatId) => {
    setTimeout(() => { const box = scroller(chatId); if (box) box.scrollTop = box.scrollHeight; }, 60);
  };
  /* copy with a confirmation, and a fallback where navigator.clipboard is missing (plain HTTP on a LAN) */
  window.yijuCopy = async (text) => {
    if (!text || text.startsWith('请先登录') || text.startsWith('本回答没有')) return '';
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return '已复制'; }
    } catch (e) { /* fall through to the fallback */ }
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    if (ok) return '已复制';
    const box = $('#basis textarea'); if (box) { box.focus(); box.select(); }
    return '浏览器不允许自动复制：段落已选中，请按 Ctrl+C（手机上长按）复制。';
  };
  /* the login cookie (HttpOnly): exchange the one-time ticket; forget it at logout */
  window.yijuKeepLogin = (ticket) => {
    if (ticket) fetch('session', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({ticket}), credentials: 'same-origin'});
  };
  window.yijuForget = () => fetch('session', {method: 'DELETE', credentials: 'same-origin'});
  /* Chinese everywhere: Gradio's own labels and messages that its translations miss (or that it hard-codes) */
  const ZH = {'Copy message': '复制这条消息', 'Copied message': '已复制', 'Copy': '复制', 'Copied!': '已复制',
    'Like': '有用（👍）', 'Dislike': '有问题（👎）', '赞': '有用（👍）', '踩': '有问题（👎）', 'Clear': '清空', 'Scroll down': '滚动到最新消息',
    'Retry': '重试', 'Undo': '撤销', 'Edit': '编辑', 'Submit': '提交', 'Cancel': '取消', 'Close': '关闭',
    'Error': '错误', 'Warning': '提示', 'Info': '提示', 'Loading...': '加载中…', 'processing': '处理中',
    'Connection errored out.': '与服务器的连接中断，请刷新页面重试。',
    'Connection to the server was lost. Attempting reconnection...': '与服务器的连接中断，正在重新连接…',
    'Exit full screen': '退出全屏', 'Fullscreen': '全屏', 'Download': '下载', 'Share': '分享',
    'Use via API': 'API 调用说明', 'Built with Gradio': '基于 Gradio', 'Settings': '设置',
    'Chatbot': '对话', 'Textbox': '文本框', 'Examples': '示例', 'Sort ascending': '升序', 'Sort descending': '降序',
    'Clear sort': '清除排序', 'Search': '搜索', 'Remove': '移除', 'Select all': '全选',
    'More tabs': '更多标签页', 'chatbot conversation': '对话记录', 'Gradio footer navigation': '页脚导航'};
  const ATTRS = ['aria-label', 'title', 'placeholder'];
  const PREFIXES = [["bot's message: ", '回答：'], ["user's message: ", '提问：']];
  const zh = (v) => { if (ZH[v]) return ZH[v];
    for (const [en, cn] of PREFIXES) if (v.startsWith(en)) return cn + v.slice(en.length);
    return null; };
  function translate(root) {
    if (root.nodeType === 3) {
      const t = root.nodeValue.trim();
      if (ZH[t]) root.nodeValue = root.nodeValue.replace(t, ZH[t]);
      return;
    }
    if (root.nodeType !== 1) return;
    const els = [root, ...root.querySelectorAll('[aria-label], [title], [placeholder]')];
    for (const el of els) for (const a of ATTRS) { const v = el.getAttribute(a), t = v && zh(v); if (t) el.setAttribute(a, t); }
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) { const t = n.nodeValue.trim(); if (t && ZH[t]) n.nodeValue = n.nodeValue.replace(t, ZH[t]); }
  }
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') { const v = r.target.getAttribute(r.attributeName), t = v && zh(v); if (t) r.target.setAttribute(r.attributeName, t); }
      else if (r.type === 'characterData') translate(r.target);
      else r.addedNodes.forEach(translate);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS});
  translate(document.body);
  document.documentElement.lang = 'zh-CN';
}
