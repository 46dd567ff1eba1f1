"""The editor's pages: Jinja2 templates (autoescaped), its one stylesheet and its one script.

Everything is served by the editor itself — no fonts, scripts or styles from outside —
and every form works without the script: it only filters the item list, reloads the
roster when the date changes and shows each member's room under the item's cap.
"""

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;color:#222;background:#f5f5f2}
header{background:#b71c1c;color:#fff;padding:8px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;padding:4px 8px;border-radius:4px}
header a.on,header a:hover{background:rgba(255,255,255,.2)}
header .who{margin-left:auto;font-size:13px}
main{max-width:1240px;margin:0 auto;padding:16px 24px}
h1{font-size:20px;margin:8px 0 12px}
h2{font-size:17px;margin:16px 0 8px}
form.card,.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px 20px;margin-bottom:16px}
.row{display:flex;gap:16px;flex-wrap:wrap;margin-bottom:10px}
.field{display:flex;flex-direction:column;min-width:180px;flex:1}
.field.wide{flex:3}
label{font-weight:bold;font-size:14px}
input[type=text],input[type=date],input[type=password],select,textarea{font:inherit;padding:5px 8px;border:1px solid #aaa;border-radius:4px;width:100%}
textarea{min-height:54px}
textarea#body{min-height:160px}
form.inline{display:inline}
main.narrow{max-width:420px}
.err{color:#b71c1c;font-size:14px;margin:2px 0}
.field.bad input,.field.bad select,.field.bad textarea,.field.bad .members{border-color:#b71c1c;background:#fff5f5}
.hint{color:#666;font-size:13px}
.members{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:2px 12px;border:1px solid #ddd;padding:8px;max-height:260px;overflow:auto;border-radius:4px}
.members label{font-weight:normal}
.room{color:#666;font-size:12px}
.room.full{color:#b71c1c}
button{font:inherit;background:#b71c1c;color:#fff;border:0;border-radius:4px;padding:7px 22px;cursor:pointer}
button.plain{background:#666}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:16px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}
th{background:#f0ebe6}
.ok{background:#e8f5e9;border:1px solid #a5d6a7;border-radius:6px;padding:10px 16px;margin-bottom:12px}
.bad-box{background:#fff5f5;border:1px solid #ef9a9a;border-radius:6px;padding:10px 16px;margin-bottom:12px}
.report table{margin:8px 0}
pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:12px;font-size:13px}
.cap{color:#b71c1c;font-weight:bold}
.live{margin:8px 0;font-size:14px}
.live .pass{color:#2e7d32}
"""

JS = r"""(function () {
  function $(id) { return document.getElementById(id); }
  var search = $('item-search'), select = $('item');
  if (search && select) {
    search.oninput = function () {
      var q = search.value.trim().toLowerCase();
      for (var i = 0; i < select.options.length; i++) {
        var o = select.options[i];
        var text = (o.text + ' ' + (o.getAttribute('data-py') || '')).toLowerCase();
        o.hidden = q && o.value && text.indexOf(q) < 0;
        o.disabled = o.hidden;
      }
    };
  }
  function get(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4 && xhr.status === 200) { done(JSON.parse(xhr.responseText)); }
    };
    xhr.open('GET', url, true);
    xhr.send(null);
  }
  function room() {
    if (!select || !$('date')) { return; }
    var info = $('item-info');
    get('/api/item?code=' + encodeURIComponent(select.value) + '&date=' + encodeURIComponent($('date').value),
      function (data) {
        if (info) { info.textContent = data.text || ''; }
        var spans = document.querySelectorAll('[data-room]');
        for (var i = 0; i < spans.length; i++) {
          var r = data.room ? data.room[spans[i].getAttribute('data-room')] : null;
          spans[i].textContent = r ? r.text : '';
          spans[i].className = 'room' + (r && r.full ? ' full' : '');
        }
      });
  }
  if (select) { select.onchange = room; }
  var date = $('date'), box = $('members-box');
  if (date && box) {
    date.onchange = function () {
      get('/api/members?date=' + encodeURIComponent(date.value), function (data) {
        var ticked = {};
        var inputs = box.querySelectorAll('input[name=members]');
        for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { ticked[inputs[i].value] = true; } }
        // built as elements, never as HTML text: names come from the content
        box.innerHTML = '';
        for (var j = 0; j < data.members.length; j++) {
          var m = data.members[j], label = document.createElement('label');
          var input = document.createElement('input'), span = document.createElement('span');
          input.type = 'checkbox'; input.name = 'members'; input.value = m.id; input.checked = !!ticked[m.id];
          span.className = 'room'; span.setAttribute('data-room', m.id);
          label.appendChild(input);
          label.appendChild(document.createTextNode(' ' + m.label + ' '));
          label.appendChild(span);
          box.appendChild(label);
        }
        if (!data.members.length) {
          var none = document.createElement('span');
          none.className = 'hint'; none.textContent = '这一天名册上没有参加积分管理的党员。';
          box.appendChild(none);
        }
        if ($('roster-day')) { $('roster-day').textContent = data.date; }
        room();
      });
    };
  }
  room();

  // 检查 as typed: each change of a form is tried on the server (nothing is saved) and its
  // problems are shown at the fields, with the effect on the members' points
  function serialize(f) {
    var parts = [];
    for (var i = 0; i < f.elements.length; i++) {
      var el = f.elements[i];
      if (!el.name || el.disabled) { continue; }
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) { continue; }
      parts.push(encodeURIComponent(el.name) + '=' + encodeURIComponent(el.value));
    }
    return parts.join('&');
  }
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }
  function show(f, data) {
    var old = f.querySelectorAll('.live-err');
    for (var i = old.length - 1; i >= 0; i--) { old[i].parentNode.removeChild(old[i]); }
    var bad = f.querySelectorAll('.field.live-bad');
    for (var j = 0; j < bad.length; j++) { bad[j].className = bad[j].className.replace(' live-bad', '').replace(' bad', ''); }
    for (var name in data.fields) {
      var input = f.querySelector('[name="' + name + '"]');
      var field = input && input.closest ? input.closest('.field, td') : null;
      if (!field) { continue; }
      if (field.className.indexOf(' bad') < 0) { field.className += ' bad live-bad'; }
      for (var k = 0; k < data.fields[name].length; k++) {
        var e = text('div', data.fields[name][k], 'err live-err');
        e.setAttribute('data-field', name);
        field.appendChild(e);
      }
    }
    var box = f.querySelector('.live');
    if (!box) { return; }
    box.innerHTML = '';
    if (data.incomplete) { return; }
    for (var g = 0; g < data.general.length; g++) { box.appendChild(text('div', data.general[g], 'err')); }
    if (data.ok) {
      box.appendChild(text('div', '检查通过，可以保存。' + (data.effects.length ? '保存后：' : ''), 'pass'));
      if (data.effects.length) {
        var table = document.createElement('table'), head = document.createElement('tr');
        var cross = false;
        for (var x0 = 0; x0 < data.effects.length; x0++) { if (data.effects[x0].cross === 'True') { cross = true; } }
        var cols = cross ? ['党员', '本季度积分', '全年积分', '支部排名', '党(工)委同类排名', '全区同类排名', '']
          : ['党员', '本季度积分', '全年积分', '支部排名', ''];
        for (var c = 0; c < cols.length; c++) { head.appendChild(text('th', cols[c])); }
        table.appendChild(head);
        for (var r = 0; r < data.effects.length; r++) {
          var x = data.effects[r], row = document.createElement('tr');
          row.appendChild(text('td', x.name + '（' + x.member + '）'));
          row.appendChild(text('td', '第' + x.quarter_name + '季度 ' + x.qb + ' → ' + x.qa));
          row.appendChild(text('td', x.yb + ' → ' + x.ya));
          row.appendChild(text('td', x.rb + ' → ' + x.ra));
          if (cross) {
            row.appendChild(text('td', x.cb + ' → ' + x.ca));
            row.appendChild(text('td', x.db + ' → ' + x.da));
          }
          row.appendChild(text('td', x.capped === 'True' ? '本项已达上限' : '', 'cap'));
          table.appendChild(row);
        }
        box.appendChild(table);
      }
    } else {
      box.appendChild(text('div', '有错误：现在保存不会成功，请按红字改正。', 'err'));
    }
  }
  function live(f) {
    var xhr = new XMLHttpRequest();
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4 && xhr.status === 200) { show(f, JSON.parse(xhr.responseText)); }
    };
    xhr.open('POST', '/api/check', true);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    xhr.send(serialize(f) + '&action=' + encodeURIComponent(f.getAttribute('action')));
  }
  var checked = document.querySelectorAll('form[data-check]');
  for (var n = 0; n < checked.length; n++) {
    (function (f) {
      var timer = null;
      function later() { window.clearTimeout(timer); timer = window.setTimeout(function () { live(f); }, 400); }
      f.addEventListener('change', later);
      f.addEventListener('input', later);
    })(checked[n]);
  }
})();
"""

_BASE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · 积分登记</title><link rel="stylesheet" href="/static/editor.css"></head>
<body><header><b>{{ branch_name }} · {{ year }}年 积分登记</b>
{% for href, name in nav %}<a href="{{ href }}"{% if href == here %} class="on"{% endif %}>{{ name }}</a>{% endfor %}
{% if user %}<span class="who">{{ user }}
<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{ csrf }}">
<button class="plain" type="submit">退出</button></form></span>{% endif %}
</header><main><h1>{{ title }}</h1>
{% block body %}{% endblock %}
</main><script src="/static/editor.js"></script></body></html>
"""

_MACROS = """
{% macro errs(name) %}{% for p in fields.get(name, []) %}<div class="err" data-field="{{ name }}">[{{ p.code }}] {{ p.message }}{% if p.hint %}（{{ p.hint }}）{% endif %}</div>{% endfor %}{% if name in malformed %}<div class="err" data-field="{{ name }}">{{ malformed[name] }}</div>{% endif %}{% endmacro %}
{% macro bad(name) %}{% if name in fields or name in malformed %} bad{% endif %}{% endmacro %}
{% macro banner() %}{% if general or saved_fail %}<div class="bad-box"><b>有错误，没有保存。</b>
{% for p in general %}<div class="err">{{ p.pos }}：[{{ p.code }}] {{ p.message }}{% if p.hint %}（提示：{{ p.hint }}）{% endif %}</div>{% endfor %}
{% if saved_fail %}<div class="err">{{ saved_fail }}</div>{% endif %}</div>
{% elif fields or malformed %}<div class="bad-box"><b>有错误，没有保存。</b>请按各栏下方的红字改正后再提交。</div>{% endif %}{% endmacro %}
{% macro effects_table(effects) %}{% if effects %}{% set cross = effects|selectattr('cross')|list %}<table><tr><th>党员</th><th>季度</th><th>本季度积分</th><th>全年积分</th><th>支部排名</th>{% if cross %}<th>党(工)委同类排名</th><th>全区同类排名</th>{% endif %}<th></th></tr>
{% for e in effects %}<tr><td>{{ e.name }}（{{ e.member }}）</td><td>第{{ e.quarter_name }}季度</td><td>{{ e.qb }} → {{ e.qa }}</td>
<td>{{ e.yb }} → {{ e.ya }}</td><td>{{ e.rb }} → {{ e.ra }}</td>{% if cross %}<td>{{ e.cb }} → {{ e.ca }}</td><td>{{ e.db }} → {{ e.da }}</td>{% endif %}<td>{% if e.capped %}<span class="cap">本项已达上限</span>{% endif %}</td></tr>{% endfor %}
</table>{% endif %}{% endmacro %}
"""

_HOME = """{% extends "base.html" %}{% block body %}
<div class="card"><p>在这里登记本支部 {{ year }} 年的活动、名册变化和季度工作。每次提交前都会按
<code>sitegen check</code> 的全部规则检查，有错误不会保存；保存后点“提交审核”，交给党(工)委审核。</p>
<ul><li><a href="/entry">登记活动</a>：日期、积分项目、参加的党员、分值、来源、依据。</li>
<li><a href="/roster">名册</a>：新加入、离开本支部。</li>
<li><a href="/quarter">季度</a>：汇总审核、逐人反馈、确认、公示、报备，申辩和群众异议。</li>
<li><a href="/correct">更正</a>：记错的条目（包括已公示的）写更正条目，原条目不动。</li>
<li><a href="/year-end">年终</a>：民主测评、综合评定等次和理由、年度结果公示。</li>
<li><a href="/scheme">年初设定</a>：本支部新增、细化、删去的积分项目，通报和公开的日期。</li>
<li><a href="/notice">通知</a>：在本支部网页上发布通知、公告。</li>
<li><a href="/restricted">不公开记录</a>：谈话、帮教、督促提醒（专卷保存，不公开）。</li></ul></div>
<h2>尚未提交审核的修改</h2>
{% if changed %}<div class="card"><ul>{% for f in changed %}<li><a href="/file?path={{ f|urlencode }}">{{ f }}</a></li>{% endfor %}</ul>
<form method="post" action="/submit"><input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">提交审核</button> <span class="hint">把这些修改提交到一个新的 git 分支并推送，然后在 Gitea/GitLab 上发起合并请求。</span></form></div>
{% else %}<p class="hint">没有。</p>{% endif %}
{% if waiting %}<h2>已提交审核、等待合并的修改</h2><div class="card"><p>分支 {{ submitted_branch }}：</p><ul>{% for f in waiting %}<li>{{ f }}</li>{% endfor %}</ul>
<p class="hint">合并之前再登记新的内容，再次“提交审核”时会连同这些一起提交到一个新的分支（请关闭旧的合并请求）。</p></div>{% endif %}
{% if problems %}<h2>本支部现有的错误</h2><div class="bad-box">{% for p in problems %}<div class="err">{{ p.pos }}：[{{ p.code }}] {{ p.message }}</div>{% endfor %}</div>{% endif %}
{% endblock %}"""

_ENTRY = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner, effects_table with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{{ effects_table(effects) }}{% endif %}
{{ banner() }}
<form class="card" method="post" action="/entry" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}">
<div class="row">
<div class="field{{ bad('date') }}"><label for="date">日期</label><input type="date" id="date" name="date" value="{{ form.date }}">{{ errs('date') }}</div>
<div class="field wide{{ bad('item') }}"><label for="item">积分项目</label>
<input type="text" id="item-search" placeholder="按编号、名称或拼音查找，如 shyk" autocomplete="off">
<select id="item" name="item"><option value="">（请选择）</option>
{% for i in items %}<option value="{{ i.code }}" data-py="{{ i.py }}"{% if i.code == form.item %} selected{% endif %}>{{ i.label }}</option>{% endfor %}</select>
<span class="hint" id="item-info">{{ item_info }}</span>{{ errs('item') }}</div>
<div class="field{{ bad('points') }}"><label for="points">分值</label><input type="text" id="points" name="points" value="{{ form.points }}" placeholder="固定分值的项目不填">{{ errs('points') }}</div>
</div>
<div class="row"><div class="field{{ bad('members') }}"><label>参加的党员（<span id="roster-day">{{ roster_day }}</span> 名册）</label>
<label><input type="checkbox" name="everyone" value="1"{% if form.everyone %} checked{% endif %}> 全体（本支部参加积分管理的正式党员和预备党员；勾选下面的人表示<b>未参加</b>）</label>
<div class="members" id="members-box">{% for m in members %}<label><input type="checkbox" name="members" value="{{ m.id }}"{% if m.id in ticked %} checked{% endif %}> {{ m.label }} <span class="room{% if m.full %} full{% endif %}" data-room="{{ m.id }}">{{ m.room }}</span></label>{% else %}<span class="hint">这一天名册上没有参加积分管理的党员。</span>{% endfor %}</div>
{{ errs('members') }}</div></div>
<div class="row">
<div class="field{{ bad('source') }}"><label for="source">来源</label><select id="source" name="source">
{% for s in sources %}<option{% if s == form.source %} selected{% endif %}>{{ s }}</option>{% endfor %}</select>{{ errs('source') }}</div>
<div class="field wide{{ bad('evidence') }}"><label for="evidence">依据</label><input type="text" id="evidence" name="evidence" value="{{ form.evidence }}" placeholder="如：会议签到表；党员申报、群众证实必填">{{ errs('evidence') }}</div>
</div>
<div class="row"><div class="field wide{{ bad('note') }}"><label for="note">说明（会公开）</label><input type="text" id="note" name="note" value="{{ form.note }}">{{ errs('note') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
{% endblock %}"""

_ROSTER = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{% endif %}
{{ banner() }}
<form class="card" method="post" action="/roster/join" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>新加入本支部</h2>
<div class="row">
<div class="field{{ bad('id') }}"><label for="id">党员编号</label><input type="text" id="id" name="id" value="{{ form.id }}" placeholder="如 {{ next_member }}">{{ errs('id') }}</div>
<div class="field{{ bad('name') }}"><label for="name">姓名</label><input type="text" id="name" name="name" value="{{ form.name }}">{{ errs('name') }}</div>
<div class="field{{ bad('status') }}"><label for="status">身份（加入时）</label><select id="status" name="status">{% for s in statuses %}<option{% if s == form.status %} selected{% endif %}>{{ s }}</option>{% endfor %}</select>{{ errs('status') }}</div>
<div class="field{{ bad('joined') }}"><label for="joined">加入日期</label><input type="date" id="joined" name="joined" value="{{ form.joined }}">{{ errs('joined') }}</div>
<div class="field{{ bad('join') }}"><label for="join">加入方式</label><select id="join" name="join">{% for s in joins %}<option{% if s == form.join %} selected{% endif %}>{{ s }}</option>{% endfor %}</select>{{ errs('join') }}</div>
</div><div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/roster/leave" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>离开本支部</h2>
<div class="row">
<div class="field{{ bad('member') }}"><label for="member">党员</label><select id="member" name="member"><option value="">（请选择）</option>{% for m in all_members %}<option value="{{ m.id }}"{% if m.id == form.member %} selected{% endif %}>{{ m.label }}</option>{% endfor %}</select>{{ errs('member') }}</div>
<div class="field{{ bad('left') }}"><label for="left">离开日期（这一天起不在本支部积分）</label><input type="date" id="left" name="left" value="{{ form.left }}">{{ errs('left') }}</div>
<div class="field{{ bad('leave') }}"><label for="leave">离开方式</label><select id="leave" name="leave">{% for s in leaves %}<option{% if s == form.leave %} selected{% endif %}>{{ s }}</option>{% endfor %}</select>{{ errs('leave') }}</div>
</div><div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/roster/status" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>身份变化（接收为预备党员、转正）</h2>
<div class="row">
<div class="field{{ bad('member') }}"><label for="smember">党员</label><select id="smember" name="member"><option value="">（请选择）</option>{% for m in all_members %}<option value="{{ m.id }}">{{ m.label }}（{{ m.status }}）</option>{% endfor %}</select></div>
<div class="field{{ bad('changed') }}"><label for="changed">日期（这一天起是新的身份）</label><input type="date" id="changed" name="changed" value="{{ form.changed }}">{{ errs('changed') }}</div>
<div class="field{{ bad('new_status') }}"><label for="new_status">新的身份</label><select id="new_status" name="new_status"><option>预备党员</option><option>正式党员</option></select>{{ errs('new_status') }}</div>
</div><div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/roster/exempt" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>不纳入积分管理（三个步骤都有日期才生效）</h2>
<div class="row">
<div class="field{{ bad('member') }}"><label for="emember">党员</label><select id="emember" name="member"><option value="">（请选择）</option>{% for m in all_members %}<option value="{{ m.id }}">{{ m.label }}</option>{% endfor %}</select></div>
{% for key, name in exempt_steps %}<div class="field{{ bad(key) }}"><label for="{{ key }}">{{ name }}日期</label><input type="date" id="{{ key }}" name="{{ key }}" value="{{ form[key] }}">{{ errs(key) }}</div>{% endfor %}</div>
<div class="row"><div class="field{{ bad('kind') }}"><label for="kind">原因（不公开）</label><select id="kind" name="kind"><option value="">（不改）</option>{% for k in exempt_kinds %}<option>{{ k }}</option>{% endfor %}</select>{{ errs('kind') }}</div>
<div class="field wide{{ bad('note') }}"><label for="enote">说明（不公开：只写进本支部的 restricted/ 文件）</label><input type="text" id="enote" name="note" value="{{ form.note }}">{{ errs('note') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/roster/floating" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>流动党员</h2>
<div class="row">
<div class="field{{ bad('member') }}"><label for="fmember">党员</label><select id="fmember" name="member"><option value="">（请选择）</option>{% for m in all_members %}<option value="{{ m.id }}">{{ m.label }}</option>{% endfor %}</select></div>
<div class="field{{ bad('direction') }}"><label for="direction">方向</label><select id="direction" name="direction"><option>流出</option><option>流入</option></select>{{ errs('direction') }}</div>
<div class="field{{ bad('other_branch') }}"><label for="other_branch">对方支部编号（本区内）</label><input type="text" id="other_branch" name="other_branch" value="{{ form.other_branch }}">{{ errs('other_branch') }}</div>
<div class="field{{ bad('org') }}"><label for="org">或：区外组织名称</label><input type="text" id="org" name="org" value="{{ form.org }}">{{ errs('org') }}</div>
<div class="field{{ bad('since') }}"><label for="since">起始日期（全年流动可不填）</label><input type="date" id="since" name="since" value="{{ form.since }}">{{ errs('since') }}</div>
</div><p class="hint">流动党员由流入地支部积分（流入地为主）：流出支部只列出“流出，在某处积分”。</p>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<h2>{{ year }}年名册</h2><table><tr><th>编号</th><th>姓名</th><th>身份</th><th>加入</th><th>离开</th></tr>
{% for m in all_members %}<tr><td>{{ m.id }}</td><td>{{ m.name }}</td><td>{{ m.status }}</td><td>{{ m.joined }}</td><td>{{ m.left }}</td></tr>{% endfor %}</table>
{% endblock %}"""

_QUARTER = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner, effects_table with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{{ effects_table(effects) }}{% endif %}
{{ banner() }}
<form class="card" method="post" action="/quarter/steps" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>季度工作步骤</h2>
<div class="row"><div class="field{{ bad('quarter') }}"><label for="quarter">季度</label><select id="quarter" name="quarter">{% for q in quarters %}<option value="{{ q.n }}"{% if q.n|string == form.quarter %} selected{% endif %}>{{ q.name }}{{ q.state }}</option>{% endfor %}</select>{{ errs('quarter') }}</div>
{% for key, name in steps %}<div class="field{{ bad(key) }}"><label for="{{ key }}">{{ name }}日期</label><input type="date" id="{{ key }}" name="{{ key }}" value="{{ form[key] }}">{{ errs(key) }}</div>{% endfor %}</div>
<div class="row"><div class="field{{ bad('publicity_start') }}"><label for="publicity_start">公示开始</label><input type="date" id="publicity_start" name="publicity_start" value="{{ form.publicity_start }}">{{ errs('publicity_start') }}</div>
<div class="field{{ bad('publicity_end') }}"><label for="publicity_end">公示结束</label><input type="date" id="publicity_end" name="publicity_end" value="{{ form.publicity_end }}">{{ errs('publicity_end') }}</div>
<div class="field wide{{ bad('publicity_scope') }}"><label for="publicity_scope">公示范围</label><input type="text" id="publicity_scope" name="publicity_scope" value="{{ form.publicity_scope }}" placeholder="如：支部党务公开栏">{{ errs('publicity_scope') }}</div></div>
<p class="hint">只填这次要登记的步骤；已登记的日期再填会改成新的日期。</p>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/quarter/appeal" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>申辩、问询和群众异议</h2>
<div class="row"><div class="field{{ bad('quarter') }}"><label for="aq">季度</label><select id="aq" name="quarter">{% for q in quarters %}<option value="{{ q.n }}"{% if q.n|string == form.quarter %} selected{% endif %}>{{ q.name }}</option>{% endfor %}</select></div>
<div class="field"><label for="by">提出人</label><select id="by" name="by"><option value="党员">党员本人</option><option value="群众"{% if form.by == '群众' %} selected{% endif %}>群众（可匿名）</option></select></div>
<div class="field{{ bad('member') }}"><label for="amember">涉及的党员</label><select id="amember" name="member"><option value="">（请选择）</option>{% for m in all_members %}<option value="{{ m.id }}"{% if m.id == form.member %} selected{% endif %}>{{ m.label }}</option>{% endfor %}</select>{{ errs('member') }}</div>
<div class="field{{ bad('entry') }}"><label for="entry">涉及的台账条目</label><select id="entry" name="entry"><option value="">（无）</option>{% for e in entries %}<option value="{{ e.id }}"{% if e.id == form.entry %} selected{% endif %}>{{ e.label }}</option>{% endfor %}</select>{{ errs('entry') }}</div></div>
<div class="row"><div class="field{{ bad('filed') }}"><label for="filed">提出日期</label><input type="date" id="filed" name="filed" value="{{ form.filed }}">{{ errs('filed') }}</div>
<div class="field{{ bad('outcome') }}"><label for="outcome">结果</label><select id="outcome" name="outcome"><option value="">尚未决定</option>{% for s in outcomes %}<option{% if s == form.outcome %} selected{% endif %}>{{ s }}</option>{% endfor %}</select>{{ errs('outcome') }}</div>
<div class="field{{ bad('decided') }}"><label for="decided">决定日期</label><input type="date" id="decided" name="decided" value="{{ form.decided }}">{{ errs('decided') }}</div></div>
<div class="row"><div class="field wide{{ bad('reason') }}"><label for="reason">申辩、异议的理由（不公开：只写进本支部的 restricted/ 文件）</label><input type="text" id="reason" name="reason" value="{{ form.reason }}">{{ errs('reason') }}</div></div>
<div class="row"><div class="field wide{{ bad('correction_members') }}"><label>更正后参加这项活动的党员（结果为“更正”时填；都不勾表示取消这条记录）</label>
<div class="members">{% for m in all_members %}<label><input type="checkbox" name="correction_members" value="{{ m.id }}"{% if m.id in correction_ticked %} checked{% endif %}> {{ m.label }}</label>{% endfor %}</div>{{ errs('correction_members') }}</div></div>
<div class="row"><div class="field wide{{ bad('correction_reason') }}"><label for="correction_reason">更正理由（会公开，不写个人隐私）</label><input type="text" id="correction_reason" name="correction_reason" value="{{ form.correction_reason }}">{{ errs('correction_reason') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
{% endblock %}"""

_CORRECT = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner, effects_table with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{{ effects_table(effects) }}{% endif %}
{{ banner() }}
<div class="card"><p>记错了的条目——特别是<b>已经公示</b>的季度里的——不能直接改，要写一条<b>更正条目</b>：
日期写更正的当天，说明更正哪一条、为什么。原来的条目保留不动，网站上能看到更正的经过。
申辩后的更正请在“季度”页随申辩一起登记。</p></div>
<form class="card" method="post" action="/correct" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}">
<div class="row"><div class="field wide{{ bad('corrects') }}"><label for="corrects">要更正的条目</label><select id="corrects" name="corrects"><option value="">（请选择）</option>{% for e in entries %}<option value="{{ e.id }}"{% if e.id == form.corrects %} selected{% endif %}>{{ e.label }}</option>{% endfor %}</select>{{ errs('corrects') }}</div>
<div class="field{{ bad('date') }}"><label for="date">更正日期</label><input type="date" id="date" name="date" value="{{ form.date or today }}">{{ errs('date') }}</div>
<div class="field{{ bad('points') }}"><label for="points">更正后的分值</label><input type="text" id="points" name="points" value="{{ form.points }}" placeholder="不变就不填">{{ errs('points') }}</div></div>
<div class="row"><div class="field{{ bad('members') }}"><label>更正后参加这项活动的党员（都不勾表示撤销这条记录）</label>
<div class="members">{% for m in all_members %}<label><input type="checkbox" name="members" value="{{ m.id }}"{% if m.id in ticked %} checked{% endif %}> {{ m.label }}</label>{% endfor %}</div>{{ errs('members') }}{{ errs('item') }}</div></div>
<div class="row"><div class="field wide{{ bad('reason') }}"><label for="reason">更正理由（会公开，不写个人隐私）</label><input type="text" id="reason" name="reason" value="{{ form.reason }}">{{ errs('reason') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
{% endblock %}"""

_YEAR_END = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{% endif %}
{{ banner() }}
<form class="card" method="post" action="/year-end" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}">
<div class="row">{% for key, name in steps %}<div class="field{{ bad(key) }}"><label for="{{ key }}">{{ name }}日期</label><input type="date" id="{{ key }}" name="{{ key }}" value="{{ form[key] }}">{{ errs(key) }}</div>{% endfor %}</div>
<div class="row"><div class="field{{ bad('publicity_start') }}"><label for="publicity_start">公示开始</label><input type="date" id="publicity_start" name="publicity_start" value="{{ form.publicity_start }}">{{ errs('publicity_start') }}</div>
<div class="field{{ bad('publicity_end') }}"><label for="publicity_end">公示结束</label><input type="date" id="publicity_end" name="publicity_end" value="{{ form.publicity_end }}">{{ errs('publicity_end') }}</div>
<div class="field wide{{ bad('publicity_scope') }}"><label for="publicity_scope">公示范围</label><input type="text" id="publicity_scope" name="publicity_scope" value="{{ form.publicity_scope }}" placeholder="如：支部党务公开栏">{{ errs('publicity_scope') }}</div></div>
<p class="hint">评定等次只在与积分等次<b>不同</b>时选择，并写明综合分析研判的理由（会公开）；有一票否决事项的只能评为不合格。</p>
<table><tr><th>党员</th><th>年度积分</th><th>积分等次</th><th>民主测评</th><th>评定等次</th><th>理由</th></tr>
{% for r in rows %}<tr><td>{{ r.label }}</td><td>{{ r.total }}</td><td>{{ r.grade }}</td>
<td class="{{ bad('rating_' ~ r.id) }}"><select name="rating_{{ r.id }}"><option value="">{{ r.rating or '（未填）' }}</option>{% for x in ratings %}<option{% if form['rating_' ~ r.id] == x %} selected{% endif %}>{{ x }}</option>{% endfor %}</select>{{ errs('rating_' ~ r.id) }}</td>
<td class="{{ bad('final_' ~ r.id) }}"><select name="final_{{ r.id }}"><option value="">{{ r.final or '同积分等次' }}</option>{% for x in grades %}<option{% if form['final_' ~ r.id] == x %} selected{% endif %}>{{ x }}</option>{% endfor %}</select>{{ errs('final_' ~ r.id) }}</td>
<td class="{{ bad('reason_' ~ r.id) }}"><input type="text" name="reason_{{ r.id }}" value="{{ form['reason_' ~ r.id] }}">{{ errs('reason_' ~ r.id) }}</td></tr>{% endfor %}</table>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
{% endblock %}"""

_RESTRICTED = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{% endif %}
{{ banner() }}
<div class="card"><p><b>这些记录不公开</b>（专卷保存）：只写进本支部的 <code>{{ path }}</code>，不会出现在网站、公示栏、屏幕、
审核报告里。政策要求：评为不合格的党员，由支部负责人谈话，并指定专人帮教；一段时间积分落后的党员，督促提醒。</p></div>
{% macro k(kind_here, name) %}{% if kind == kind_here %}{{ errs(name) }}{% endif %}{% endmacro %}
{% macro v(kind_here, name) %}{% if kind == kind_here %}{{ form[name] }}{% endif %}{% endmacro %}
{% macro who(kind_here, id) %}<div class="field{% if kind == kind_here %}{{ bad('member') }}{% endif %}"><label for="{{ id }}">党员</label><select id="{{ id }}" name="member"><option value="">（请选择）</option>{% for m in all_members %}<option value="{{ m.id }}"{% if kind == kind_here and m.id == form.member %} selected{% endif %}>{{ m.label }}</option>{% endfor %}</select>{{ k(kind_here, 'member') }}</div>{% endmacro %}
<form class="card" method="post" action="/restricted/talk" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>谈话记录</h2>
<div class="row">{{ who('talk', 'tmember') }}
<div class="field{% if kind == 'talk' %}{{ bad('date') }}{% endif %}"><label for="tdate">谈话日期</label><input type="date" id="tdate" name="date" value="{{ v('talk', 'date') }}">{{ k('talk', 'date') }}</div>
<div class="field{% if kind == 'talk' %}{{ bad('by') }}{% endif %}"><label for="tby">谈话人</label><input type="text" id="tby" name="by" value="{{ v('talk', 'by') }}" placeholder="如：支部书记姓名">{{ k('talk', 'by') }}</div></div>
<div class="row"><div class="field wide{% if kind == 'talk' %}{{ bad('summary') }}{% endif %}"><label for="tsummary">谈话内容摘要</label><textarea id="tsummary" name="summary">{{ v('talk', 'summary') }}</textarea>{{ k('talk', 'summary') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/restricted/mentoring" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>帮教</h2>
<div class="row">{{ who('mentoring', 'mmember') }}
<div class="field{% if kind == 'mentoring' %}{{ bad('helper') }}{% endif %}"><label for="mhelper">帮教人</label><input type="text" id="mhelper" name="helper" value="{{ v('mentoring', 'helper') }}">{{ k('mentoring', 'helper') }}</div>
<div class="field{% if kind == 'mentoring' %}{{ bad('start') }}{% endif %}"><label for="mstart">开始日期</label><input type="date" id="mstart" name="start" value="{{ v('mentoring', 'start') }}">{{ k('mentoring', 'start') }}</div></div>
<div class="row"><div class="field wide{% if kind == 'mentoring' %}{{ bad('plan') }}{% endif %}"><label for="mplan">帮教计划</label><textarea id="mplan" name="plan">{{ v('mentoring', 'plan') }}</textarea>{{ k('mentoring', 'plan') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/restricted/reminder" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>督促提醒</h2>
<div class="row">{{ who('reminder', 'rmember') }}
<div class="field{% if kind == 'reminder' %}{{ bad('date') }}{% endif %}"><label for="rdate">提醒日期</label><input type="date" id="rdate" name="date" value="{{ v('reminder', 'date') }}">{{ k('reminder', 'date') }}</div></div>
<div class="row"><div class="field wide{% if kind == 'reminder' %}{{ bad('summary') }}{% endif %}"><label for="rsummary">提醒内容</label><textarea id="rsummary" name="summary">{{ v('reminder', 'summary') }}</textarea>{{ k('reminder', 'summary') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<h2>{{ year }}年已有的不公开记录</h2>{% if records %}<table><tr><th>类别</th><th>日期</th><th>党员</th><th>内容</th></tr>
{% for r in records %}<tr><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td>{{ r[2] }}</td><td>{{ r[3] }}</td></tr>{% endfor %}</table>{% else %}<p class="hint">没有。</p>{% endif %}
{% endblock %}"""

_NOTICE = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{% endif %}
{{ banner() }}
<form class="card" method="post" action="/notice" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>发布通知、公告</h2>
<p class="hint">通知会公开在本支部的网页上（合并后生成网站时）。正文空一行分段；<code>**文字**</code> 加粗；<code>1. </code> 开头是编号列表。不要写个人隐私。</p>
<div class="row"><div class="field wide{{ bad('title') }}"><label for="title">标题</label><input type="text" id="title" name="title" value="{{ form.title }}" placeholder="如：第三支部2026年第四季度党员积分公示">{{ errs('title') }}</div>
<div class="field{{ bad('date') }}"><label for="date">发布日期</label><input type="date" id="date" name="date" value="{{ form.date or today }}">{{ errs('date') }}</div>
<div class="field{{ bad('name') }}"><label for="name">文件名（可不填）</label><input type="text" id="name" name="name" value="{{ form.name }}" placeholder="如 q4-gongshi">{{ errs('name') }}</div></div>
<div class="row"><div class="field{{ bad('pinned') }}"><label><input type="checkbox" name="pinned" value="1"{% if form.pinned %} checked{% endif %}> 置顶</label>{{ errs('pinned') }}</div></div>
<div class="row"><div class="field wide{{ bad('body') }}"><label for="body">正文</label><textarea id="body" name="body">{{ form.body }}</textarea>{{ errs('body') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<h2>本支部已有的通知</h2>{% if notices %}<table><tr><th>日期</th><th>标题</th></tr>
{% for n in notices %}<tr><td>{{ n.date }}</td><td>{{ n.title }}{% if n.pinned %}（置顶）{% endif %}</td></tr>{% endfor %}</table>{% else %}<p class="hint">没有。</p>{% endif %}
{% endblock %}"""

_SCHEME = """{% extends "base.html" %}{% from "macros.html" import errs, bad, banner with context %}{% block body %}
{% if saved %}<div class="ok"><b>已保存：</b>{{ saved }}（{{ saved_file }}）</div>{% endif %}
{{ banner() }}
<div class="card"><p>年初，支部结合本支部实际细化、量化积分项目：可以<b>新增</b>本支部的项目、在上级范围内<b>细化</b>分值、
<b>降低</b>年度上限、<b>删去</b>不适合本单位的项目；不能提高上限、扩大范围，也不能删去一票否决项目。
设定后召开党员大会通报，并在党务公开栏公开，把两个日期登记在这里。已公示季度的分数不能因此改变。</p></div>
<form class="card" method="post" action="/scheme/dates" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>通报和公开</h2>
<div class="row"><div class="field{{ bad('announced') }}"><label for="announced">党员大会通报日期</label><input type="date" id="announced" name="announced" value="{{ form.announced or announced }}">{{ errs('announced') }}</div>
<div class="field{{ bad('posted') }}"><label for="posted">党务公开栏公开日期</label><input type="date" id="posted" name="posted" value="{{ form.posted or posted }}">{{ errs('posted') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/scheme/item" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>新增本支部的项目</h2>
<div class="row"><div class="field{{ bad('code') }}"><label for="code">编号</label><input type="text" id="code" name="code" value="{{ form.code }}" placeholder="如 Z01（不能和上级重复）">{{ errs('code') }}</div>
<div class="field{{ bad('part') }}"><label for="part">所属部分</label><select id="part" name="part"><option value="">（请选择）</option>{% for x in parts %}<option{% if x == form.part %} selected{% endif %}>{{ x }}</option>{% endfor %}</select>{{ errs('part') }}</div>
<div class="field wide{{ bad('name') }}"><label for="name">名称</label><input type="text" id="name" name="name" value="{{ form.name }}">{{ errs('name') }}</div></div>
<div class="row"><div class="field{{ bad('points') }}"><label for="points">每次分值</label><input type="text" id="points" name="points" value="{{ form.points }}" placeholder="固定分值">{{ errs('points') }}</div>
<div class="field{{ bad('min') }}"><label for="min">或：最少</label><input type="text" id="min" name="min" value="{{ form.min }}">{{ errs('min') }}</div>
<div class="field{{ bad('max') }}"><label for="max">最多</label><input type="text" id="max" name="max" value="{{ form.max }}">{{ errs('max') }}</div>
<div class="field{{ bad('cap') }}"><label for="cap">年度上限</label><input type="text" id="cap" name="cap" value="{{ form.cap }}" placeholder="没有就不填">{{ errs('cap') }}</div></div>
<div class="row"><div class="field{{ bad('applies_to') }}"><label>适用类别（都不勾为全部）</label><div>{% for c in categories %}<label><input type="checkbox" name="applies_to" value="{{ c }}"{% if c in ticked %} checked{% endif %}> {{ c }}</label> {% endfor %}</div>{{ errs('applies_to') }}</div>
<div class="field wide{{ bad('evidence') }}"><label for="evidence">所需依据</label><input type="text" id="evidence" name="evidence" value="{{ form.evidence }}" placeholder="如：活动记录">{{ errs('evidence') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/scheme/narrow" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>细化上级项目</h2>
<div class="row"><div class="field wide{{ bad('ncode') }}"><label for="ncode">项目</label><select id="ncode" name="ncode"><option value="">（请选择）</option>{% for i in items if not i.veto %}<option value="{{ i.code }}"{% if i.code == form.ncode %} selected{% endif %}>{{ i.label }}</option>{% endfor %}</select>{{ errs('ncode') }}</div></div>
<div class="row"><div class="field{{ bad('npoints') }}"><label for="npoints">固定每次分值</label><input type="text" id="npoints" name="npoints" value="{{ form.npoints }}">{{ errs('npoints') }}</div>
<div class="field{{ bad('nmin') }}"><label for="nmin">或：最少</label><input type="text" id="nmin" name="nmin" value="{{ form.nmin }}">{{ errs('nmin') }}</div>
<div class="field{{ bad('nmax') }}"><label for="nmax">最多</label><input type="text" id="nmax" name="nmax" value="{{ form.nmax }}">{{ errs('nmax') }}</div>
<div class="field{{ bad('ncap') }}"><label for="ncap">年度上限（只能降低）</label><input type="text" id="ncap" name="ncap" value="{{ form.ncap }}">{{ errs('ncap') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<form class="card" method="post" action="/scheme/drop" data-check="1"><input type="hidden" name="csrf" value="{{ csrf }}"><h2>删去上级项目</h2>
<div class="row"><div class="field wide{{ bad('dcode') }}"><label for="dcode">项目</label><select id="dcode" name="dcode"><option value="">（请选择）</option>{% for i in items %}<option value="{{ i.code }}"{% if i.code == form.dcode %} selected{% endif %}>{{ i.label }}</option>{% endfor %}</select>{{ errs('dcode') }}</div></div>
<div class="live" aria-live="polite"></div><button type="submit">检查并保存</button></form>
<h2>本支部 {{ year }} 年使用的积分项目</h2><table><tr><th>编号</th><th>名称</th><th>部分</th><th>分值</th><th>年度上限</th><th>适用类别</th></tr>
{% for i in items %}<tr><td>{{ i.code }}</td><td>{{ i.name }}</td><td>{{ i.part }}</td><td>{{ i.points }}</td><td>{{ i.cap }}</td><td>{{ i.applies }}</td></tr>{% endfor %}</table>
{% endblock %}"""

_SUBMITTED = """{% extends "base.html" %}{% block body %}
{% if error %}<div class="bad-box">{{ error }}</div>{% else %}
<div class="ok"><b>已提交到分支 {{ branch }}</b>，并已推送到 origin。提交说明：{{ message }}</div>
<div class="card"><h2>发起合并请求</h2>{% if links %}<ul>{% for name, url in links %}<li>{{ name }}：<a href="{{ url }}" target="_blank" rel="noopener">{{ url }}</a></li>{% endfor %}</ul>
{% else %}<p>origin（{{ remote }}）不是 Gitea/GitLab 网址，请在代码托管网站上从分支 {{ branch }} 向 {{ base }} 发起合并请求。</p>{% endif %}</div>
<h2>审核报告</h2><div class="card report">{{ report_html }}</div>{% endif %}
{% endblock %}"""

_LOGIN = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录 · 积分登记</title>
<link rel="stylesheet" href="/static/editor.css"></head><body><main class="narrow">
<h1>登录积分登记</h1>{% if error %}<div class="bad-box">{{ error }}</div>{% endif %}
<form class="card" method="post" action="/login"><input type="hidden" name="csrf" value="{{ csrf }}">
<div class="field"><label for="user">用户名</label><input type="text" id="user" name="user" value="{{ user }}"></div>
<div class="field"><label for="password">密码</label><input type="password" id="password" name="password"></div>
<p><button type="submit">登录</button></p></form></main></body></html>"""

_FILE = """{% extends "base.html" %}{% block body %}<pre>{{ text }}</pre>{% endblock %}"""

_ERROR = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><p>{{ message }}</p></body></html>"""


def environment() -> Environment:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": _BASE,
                "macros.html": _MACROS,
                "home.html": _HOME,
                "entry.html": _ENTRY,
                "roster.html": _ROSTER,
                "quarter.html": _QUARTER,
                "year_end.html": _YEAR_END,
                "correct.html": _CORRECT,
                "restricted.html": _RESTRICTED,
                "notice.html": _NOTICE,
                "scheme.html": _SCHEME,
                "submitted.html": _SUBMITTED,
                "login.html": _LOGIN,
                "file.html": _FILE,
                "error.html": _ERROR,
            }
        ),
        autoescape=True,
        undefined=StrictUndefined,
    )
    return env
