'use strict';
// The split-domain console: WebAdmin's own routes, called from this page with the administrator's token.
// The token lives in this tab only (sessionStorage); every value shown is set as text, never as HTML.

const TOKEN_KEY = 'split-domain-webadmin-token';
const $ = id => document.getElementById(id);

function setStatus(message, kind) {
  const status = $('status');
  status.textContent = message;
  status.className = kind || '';
}

async function call(method, path, body) {
  const options = { method, headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (notJson) {
    json = null;
  }
  if (!response.ok) {
    const error = new Error((json && json.message) || (response.status + ' ' + (text || response.statusText)));
    error.status = response.status;
    throw error;
  }
  return { status: response.status, json };
}

function cell(row, value) {
  const td = document.createElement('td');
  td.textContent = value === undefined || value === null ? '' : String(value);
  row.appendChild(td);
  return td;
}

function fill(tableId, items, toCells) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren();
  items.forEach(item => {
    const row = document.createElement('tr');
    toCells(row, item);
    body.appendChild(row);
  });
}

function listInto(listId, items) {
  const list = $(listId);
  list.replaceChildren();
  items.forEach(item => {
    const li = document.createElement('li');
    li.textContent = item;
    list.appendChild(li);
  });
}

function relayName(relay) {
  return typeof relay === 'string' ? relay : relay.relay + ' (tls ' + relay.tls + ')';
}

async function loadDomains() {
  const domains = (await call('GET', '/split-routing/domains')).json;
  fill('domains', domains, (row, domain) => {
    cell(row, domain.domain);
    cell(row, domain.relays.map(relayName).join(', '));
    cell(row, domain.forwardUnknown ? 'forwarded to the relays' : 'refused');
    cell(row, domain.verifyRecipients ? 'yes' : 'no');
  });
  const health = await fetch('/healthcheck/checks/' + encodeURIComponent('Split-domain relays'));
  if (health.status === 404) {
    $('relay-health').textContent = 'not checked: add the split-domain health checks to healthcheck.properties';
    $('relay-health').className = 'error';
    return;
  }
  const result = await health.json();
  $('relay-health').textContent = result.status + (result.cause ? ': ' + result.cause : '');
  $('relay-health').className = result.status === 'healthy' ? 'ok' : 'error';
}

async function loadUsers() {
  const users = (await call('GET', '/split-routing/users')).json;
  fill('users', users, (row, user) => {
    const name = cell(row, '');
    const link = document.createElement('a');
    link.href = '#user-section';
    link.textContent = user.username;
    link.addEventListener('click', () => editUser(user.username));
    name.appendChild(link);
    cell(row, user.thirdParty ? 'yes' : 'no');
    cell(row, user.forwardsAllAddresses ? 'all: ' + user.forwardedAddresses.join(', ') : user.forwardedAddresses.join(', '));
  });
}

// Past this many, the browser's suggestion list would slow the page more than it helps: the full address is typed.
const MAX_SUGGESTED_USERS = 10000;

// James's users, offered as the user field's suggestions: a migration flags users that have no settings yet.
async function loadJamesUsers() {
  const users = (await call('GET', '/users')).json.map(user => user.username).sort();
  const suggestions = $('james-users');
  suggestions.replaceChildren();
  users.slice(0, MAX_SUGGESTED_USERS).forEach(username => {
    const option = document.createElement('option');
    option.value = username;
    suggestions.appendChild(option);
  });
  $('james-users-count').textContent = users.length > MAX_SUGGESTED_USERS
    ? users.length + ' James users: the first ' + MAX_SUGGESTED_USERS + ' are suggested, type the full address of the others'
    : users.length + ' James users';
}

async function editUser(username) {
  $('user-editor').hidden = true;
  $('username').value = username;
  try {
    await call('HEAD', '/users/' + encodeURIComponent(username));
  } catch (error) {
    if (error.status === 404) {
      throw new Error('James has no user ' + username + ': create it in James first, or check the address');
    }
    throw error;
  }
  const aliases = (await call('GET', '/address/aliases/' + encodeURIComponent(username))).json.map(alias => alias.source);
  let settings = null;
  try {
    settings = (await call('GET', '/users/' + encodeURIComponent(username) + '/split-routing')).json;
  } catch (error) {
    if (error.status !== 404) {
      throw error;
    }
  }
  const addresses = [username].concat(aliases.filter(alias => alias !== username));
  const chosen = settings && !settings.forwardsAllAddresses ? settings.forwardedAddresses : [];
  const list = $('addresses');
  list.replaceChildren();
  addresses.forEach(address => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = address;
    box.checked = chosen.includes(address);
    box.addEventListener('change', () => { $('forward-some').checked = true; });
    label.appendChild(box);
    label.appendChild(document.createTextNode(' ' + address));
    li.appendChild(label);
    list.appendChild(li);
  });
  $('third-party').checked = Boolean(settings && settings.thirdParty);
  $('forward-all').checked = !settings || settings.forwardsAllAddresses || !settings.thirdParty;
  $('forward-some').checked = !$('forward-all').checked;
  listInto('user-warnings', []);
  $('user-editor').hidden = false;
  $('user-editor').dataset.username = username;
}

async function saveUser() {
  const username = $('user-editor').dataset.username;
  const path = '/users/' + encodeURIComponent(username) + '/split-routing';
  let answer;
  if (!$('third-party').checked) {
    answer = await call('DELETE', path);
  } else if ($('forward-all').checked) {
    answer = await call('PUT', path, { thirdParty: true });
  } else {
    const chosen = Array.from($('addresses').querySelectorAll('input:checked')).map(box => box.value);
    answer = await call('PUT', path, { thirdParty: true, forwardedAddresses: chosen });
  }
  listInto('user-warnings', (answer.json && answer.json.warnings) || []);
  setStatus('Saved the settings of ' + username, 'ok');
  await loadUsers();
  if ($('route-address').value) {
    await explain();
  }
}

// Only the latest explanation asked for is shown: an earlier one that answers later must not replace it.
let explanations = 0;

async function explain() {
  const asked = ++explanations;
  const address = $('route-address').value.trim();
  const explanation = (await call('GET', '/split-routing/route?address=' + encodeURIComponent(address))).json;
  if (asked !== explanations) {
    return;
  }
  const resolved = explanation.resolvedAddresses.filter(other => other !== explanation.address);
  $('route-of').textContent = 'Mail to ' + explanation.address + (resolved.length ? ' (resolves to ' + resolved.join(', ') + ')' : '') + ':';
  fill('route', explanation.decisions, (row, decision) => {
    cell(row, decision.address);
    cell(row, decision.route);
    cell(row, decision.relays.map(relayName).join(', '));
    cell(row, decision.rule);
    cell(row, decision.reason);
  });
  listInto('route-warnings', explanation.warnings);
}

async function loadQueue() {
  let summary;
  try {
    summary = (await call('GET', '/split-routing/queue')).json;
  } catch (error) {
    if (error.status === 404) {
      $('queue-summary').textContent = error.message;
      fill('queue', [], () => {});
      return;
    }
    throw error;
  }
  $('queue-summary').textContent = summary.mails + ' mail(s) waiting in ' + summary.queue
    + summary.relays.map(relay => '; ' + relay.relay + ': ' + relay.mails + ', oldest ' + relay.oldestAgeSeconds + ' s').join('');
  const mails = (await call('GET', '/split-routing/queue/mails')).json;
  fill('queue', mails, (row, mail) => {
    cell(row, mail.name);
    cell(row, mail.sender);
    cell(row, mail.recipients.join(', '));
    cell(row, mail.relays.join(', '));
    cell(row, mail.since);
    cell(row, mail.lastError);
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.textContent = 'Retry now';
    retry.className = 'retry';
    retry.addEventListener('click', () => run(async () => {
      await call('POST', '/split-routing/queue/mails/' + encodeURIComponent(mail.name) + '/retry');
      setStatus('Mail ' + mail.name + ' is tried again now', 'ok');
      await loadQueue();
    }));
    cell(row, '').appendChild(retry);
  });
}

async function run(action) {
  try {
    await action();
  } catch (error) {
    setStatus(error.message, 'error');
  }
}

async function connect() {
  $('console').hidden = true;
  setStatus('Connecting…');
  await loadDomains();
  await loadUsers();
  await loadJamesUsers();
  await loadQueue();
  $('console').hidden = false;
  setStatus('Connected', 'ok');
}

document.addEventListener('DOMContentLoaded', () => {
  $('token-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    run(connect);
  });
  $('user-form').addEventListener('submit', event => {
    event.preventDefault();
    run(() => editUser($('username').value.trim()));
  });
  $('save-user').addEventListener('click', () => run(saveUser));
  $('route-form').addEventListener('submit', event => {
    event.preventDefault();
    run(explain);
  });
  $('retry-all').addEventListener('click', () => run(async () => {
    const answer = await call('POST', '/split-routing/queue/retry');
    setStatus(answer.json.retried + ' mail(s) tried again now', 'ok');
    await loadQueue();
  }));
  if (sessionStorage.getItem(TOKEN_KEY)) {
    run(connect);
  }
});
