/*
 * Copyright 2026 the james-split-domain authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
'use strict';
// The split-domain console: WebAdmin's own routes, called from this page with the administrator's token.
// The token lives in this tab only (sessionStorage); every value shown is set as text, never as HTML.

const TOKEN_KEY = 'split-domain-webadmin-token';
const TLS_LEVELS = ['none', 'may', 'encrypt', 'verify'];
const DEFAULT_TLS = 'may';
// GET /split-routing/history's own default page: the console says when there may be more.
const HISTORY_PAGE = 100;
const $ = id => document.getElementById(id);

function setStatus(message, kind) {
  const status = $('status');
  status.textContent = message;
  status.className = kind || '';
}

// James's /healthcheck answers 503 with its report when a check is unhealthy: that report is what is shown.
async function call(method, path, body, acceptedErrors) {
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
  if (!response.ok && !(acceptedErrors || []).includes(response.status)) {
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

function button(label, className, action) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.className = className;
  element.addEventListener('click', () => run(action));
  return element;
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

// The choices of a select, or the suggestions of a datalist.
function optionsInto(element, values) {
  element.replaceChildren();
  values.forEach(value => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    element.appendChild(option);
  });
}

function warningsOf(answer) {
  return (answer.json && answer.json.warnings) || [];
}

// A relay in WebAdmin's JSON: "host:port" (tls may, no credential) or {"relay","tls","credential"}.
function relayName(relay) {
  if (typeof relay === 'string') {
    return relay;
  }
  return relay.relay + ' (tls ' + relay.tls + (relay.credential ? ', credential ' + relay.credential : '') + ')';
}

function relayAddress(relay) {
  return typeof relay === 'string' ? relay : relay.relay;
}

function inWords(seconds) {
  if (seconds < 120) {
    return seconds + ' s';
  }
  return seconds < 7200 ? Math.round(seconds / 60) + ' min' : Math.round(seconds / 3600) + ' h';
}

function fromNow(instant) {
  const seconds = Math.round((Date.parse(instant) - Date.now()) / 1000);
  return instant + (seconds > 0 ? ' (in ' + inWords(seconds) + ')' : ' (due now)');
}

// Asks in the page itself, and says what the action does: resolves true only when its button is pressed.
function confirmAction(text, actionLabel) {
  const dialog = $('confirmation');
  $('confirmation-text').textContent = text;
  $('confirm').textContent = actionLabel;
  return new Promise(resolve => {
    const answer = confirmed => {
      $('confirm').onclick = null;
      $('cancel').onclick = null;
      dialog.oncancel = null;
      dialog.close();
      resolve(confirmed);
    };
    $('confirm').onclick = () => answer(true);
    $('cancel').onclick = () => answer(false);
    // Escape cancels too.
    dialog.oncancel = event => {
      event.preventDefault();
      answer(false);
    };
    dialog.showModal();
  });
}

const HEALTH_ORDER = ['unhealthy', 'degraded', 'healthy'];

async function loadHealth() {
  $('health-status').textContent = 'checking…';
  $('health-status').className = '';
  // Public in James, asked with the token all the same: the console sends nothing without it.
  const health = (await call('GET', '/healthcheck', undefined, [503])).json;
  $('health-status').textContent = health.status;
  $('health-status').className = health.status;
  const checks = health.checks.slice().sort((one, other) =>
    HEALTH_ORDER.indexOf(one.status) - HEALTH_ORDER.indexOf(other.status) || one.componentName.localeCompare(other.componentName));
  fill('health', checks, (row, check) => {
    row.dataset.check = check.componentName;
    cell(row, check.componentName);
    cell(row, check.status).className = check.status;
    cell(row, check.cause);
  });
}

// The split domains as last loaded: the unflag confirmation names the relays a user's mail goes to.
let splitDomains = [];

async function loadDomains() {
  splitDomains = (await call('GET', '/split-routing/domains')).json;
  fill('domains', splitDomains, (row, domain) => {
    row.dataset.domain = domain.domain;
    cell(row, domain.domain);
    cell(row, domain.relays.map(relayName).join(', '));
    cell(row, domain.forwardUnknown ? 'forwarded to the relays' : 'refused');
    cell(row, domain.verifyRecipients ? 'yes' : 'no');
    const actions = cell(row, '');
    actions.appendChild(button('Edit', 'edit-domain', () => openDomainEditor(domain)));
    actions.appendChild(button('Remove…', 'remove-domain', () => removeDomain(domain)));
  });
}

// James's domains, offered when a split domain is added: the route refuses one James does not manage.
async function loadJamesDomains() {
  optionsInto($('james-domains'), (await call('GET', '/domains')).json.slice().sort());
}

function addRelayRow(relay) {
  const value = typeof relay === 'string' ? { relay, tls: DEFAULT_TLS } : relay;
  const row = document.createElement('tr');
  const host = document.createElement('input');
  host.className = 'relay-host';
  host.placeholder = 'mx2.example.com:25';
  host.value = value.relay;
  const tls = document.createElement('select');
  tls.className = 'relay-tls';
  optionsInto(tls, TLS_LEVELS);
  tls.value = value.tls || DEFAULT_TLS;
  const credential = document.createElement('input');
  credential.className = 'relay-credential';
  credential.placeholder = 'none';
  credential.value = value.credential || '';
  [host, tls, credential].forEach(field => cell(row, '').appendChild(field));
  cell(row, '').appendChild(button('Remove relay', 'remove-relay', () => row.remove()));
  $('relay-rows').querySelector('tbody').appendChild(row);
}

function openDomainEditor(domain) {
  $('domain-editor-title').textContent = domain ? 'Split-routing settings of ' + domain.domain : 'Add a split domain';
  $('domain-name').value = domain ? domain.domain : '';
  $('domain-name').readOnly = Boolean(domain);
  $('relay-rows').querySelector('tbody').replaceChildren();
  (domain ? domain.relays : ['']).forEach(addRelayRow);
  $('forward-unknown').checked = Boolean(domain && domain.forwardUnknown);
  $('verify-recipients').checked = Boolean(domain && domain.verifyRecipients);
  // Until it is chosen, verification follows "forward unknown", as the route's own default does.
  $('verify-recipients').dataset.chosen = domain ? 'yes' : '';
  listInto('domain-warnings', []);
  $('domain-editor').hidden = false;
}

function relaysOfEditor() {
  return Array.from($('relay-rows').querySelectorAll('tbody tr'))
    .map(row => ({
      relay: row.querySelector('.relay-host').value.trim(),
      tls: row.querySelector('.relay-tls').value,
      credential: row.querySelector('.relay-credential').value.trim()
    }))
    // A row left blank is no relay; anything typed in it is sent, and WebAdmin says what is wrong with it.
    .filter(relay => relay.relay || relay.credential)
    .map(relay => {
      if (!relay.credential) {
        return relay.tls === DEFAULT_TLS ? relay.relay : { relay: relay.relay, tls: relay.tls };
      }
      return relay;
    });
}

async function saveDomain() {
  const domain = $('domain-name').value.trim();
  if (!domain) {
    throw new Error('Name the domain first');
  }
  const answer = await call('PUT', '/domains/' + encodeURIComponent(domain) + '/split-routing', {
    relays: relaysOfEditor(),
    forwardUnknown: $('forward-unknown').checked,
    verifyRecipients: $('verify-recipients').checked
  });
  $('domain-editor').hidden = true;
  listInto('domain-warnings', warningsOf(answer));
  setStatus('Saved the split-routing settings of ' + domain, 'ok');
  await Promise.all([loadDomains(), loadHealth()]);
}

async function removeDomain(domain) {
  const relays = domain.relays.map(relayAddress).join(', ');
  const confirmed = await confirmAction('Remove the split-routing settings of ' + domain.domain + '? Its relays (' + relays
    + ') are forgotten: the forwarded addresses of its third-party users are then delivered to their mailboxes on this server, '
    + (domain.forwardUnknown ? 'unknown addresses are refused instead of forwarded, ' : '')
    + 'and mail waiting for these relays comes back to this server at its next attempt. The users\' flags are kept.', 'Remove');
  if (!confirmed) {
    setStatus('Nothing removed: ' + domain.domain + ' keeps its relays');
    return;
  }
  await call('DELETE', '/domains/' + encodeURIComponent(domain.domain) + '/split-routing');
  $('domain-editor').hidden = true;
  setStatus('Removed the split-routing settings of ' + domain.domain, 'ok');
  await Promise.all([loadDomains(), loadHealth()]);
}

async function loadUsers() {
  const users = (await call('GET', '/split-routing/users')).json;
  fill('users', users, (row, user) => {
    const name = cell(row, '');
    const link = document.createElement('a');
    link.href = '#user-section';
    link.textContent = user.username;
    link.addEventListener('click', () => run(() => editUser(user.username)));
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
  optionsInto($('james-users'), users.slice(0, MAX_SUGGESTED_USERS));
  $('james-users-count').textContent = users.length > MAX_SUGGESTED_USERS
    ? users.length + ' James users: the first ' + MAX_SUGGESTED_USERS + ' are suggested, type the full address of the others'
    : users.length + ' James users';
}

// The settings of the user in the editor, as loaded: what unflagging would delete.
let loadedSettings = null;

async function userSettings(username) {
  const answer = await call('GET', '/users/' + encodeURIComponent(username) + '/split-routing', undefined, [404]);
  return answer.status === 404 ? null : answer.json;
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
  const settings = await userSettings(username);
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
  loadedSettings = settings;
  $('user-editor').hidden = false;
  $('user-editor').dataset.username = username;
}

function domainOf(address) {
  return address.substring(address.lastIndexOf('@') + 1).toLowerCase();
}

// What deleting a third-party user's settings does to its mail and its logins (README, "Login guard", "Relay delivery").
function unflagConsequences(username, settings) {
  const relays = new Set();
  let everyAddressRelayed = true;
  settings.forwardedAddresses.forEach(address => {
    const domain = splitDomains.find(split => split.domain === domainOf(address));
    if (domain && domain.relays.length) {
      domain.relays.forEach(relay => relays.add(relayAddress(relay)));
    } else {
      everyAddressRelayed = false;
    }
  });
  const addresses = settings.forwardedAddresses.join(', ');
  const mail = relays.size
    ? 'Mail to ' + addresses + ' is then delivered to the mailbox of ' + username + ' on this server instead of being relayed to '
      + Array.from(relays).join(', ') + ', and mail waiting for the relay comes back to this server at its next attempt.'
    : 'Mail to ' + addresses + ' is delivered here already: no relay is set for its domain.';
  const login = settings.forwardsAllAddresses && everyAddressRelayed && relays.size
    ? ' ' + username + ', refused at login here while all its addresses go to the other system, can log in to this server again.'
    : '';
  return 'Unflag ' + username + '? Its split-routing settings are deleted. ' + mail + login
    + ' The choice of addresses is forgotten (the history keeps it).';
}

async function saveUser() {
  const username = $('user-editor').dataset.username;
  const path = '/users/' + encodeURIComponent(username) + '/split-routing';
  let answer;
  if (!$('third-party').checked) {
    if (loadedSettings && loadedSettings.thirdParty && !await confirmAction(unflagConsequences(username, loadedSettings), 'Unflag')) {
      $('third-party').checked = true;
      setStatus('Nothing changed: ' + username + ' stays hosted on the other system');
      return;
    }
    answer = await call('DELETE', path);
  } else if ($('forward-all').checked) {
    answer = await call('PUT', path, { thirdParty: true });
  } else {
    const chosen = Array.from($('addresses').querySelectorAll('input:checked')).map(box => box.value);
    answer = await call('PUT', path, { thirdParty: true, forwardedAddresses: chosen });
  }
  listInto('user-warnings', warningsOf(answer));
  loadedSettings = await userSettings(username);
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

function hasSender(mail) {
  return mail.sender && mail.sender !== '<>';
}

async function removeMail(mail) {
  const recipients = mail.recipients.join(', ');
  const confirmed = await confirmAction('Remove mail ' + mail.name + ' from the relay queue? It is not delivered to ' + recipients + '; '
    + (hasSender(mail)
      ? 'its sender ' + mail.sender + ' gets a delivery status notification (DSN) saying it was removed by the mail administrator.'
      : 'it has no sender (it is a bounce itself), so nobody is told.'), 'Remove with a DSN');
  if (!confirmed) {
    setStatus('Nothing removed: mail ' + mail.name + ' keeps waiting');
    return;
  }
  const removed = (await call('DELETE', '/split-routing/queue/mails/' + encodeURIComponent(mail.name))).json;
  setStatus('Removed mail ' + removed.removed + (hasSender(mail) ? '; a DSN for ' + removed.bounced.join(', ') + ' goes to ' + mail.sender : ''), 'ok');
  await loadQueue();
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
    row.dataset.mail = mail.name;
    cell(row, mail.name);
    cell(row, mail.sender);
    cell(row, mail.recipients.join(', '));
    cell(row, mail.relays.join(', '));
    cell(row, mail.since);
    cell(row, mail.retries);
    cell(row, fromNow(mail.nextAttempt)).className = 'next-attempt';
    cell(row, mail.lastError).className = 'last-error';
    const actions = cell(row, '');
    actions.appendChild(button('Retry now', 'retry', async () => {
      await call('POST', '/split-routing/queue/mails/' + encodeURIComponent(mail.name) + '/retry');
      setStatus('Mail ' + mail.name + ' is tried again now', 'ok');
      await loadQueue();
    }));
    actions.appendChild(button('Remove with a DSN…', 'remove-mail', () => removeMail(mail)));
  });
}

async function loadHistory() {
  const filters = new URLSearchParams();
  [['address', 'history-address'], ['domain', 'history-domain'], ['since', 'history-since']].forEach(([name, id]) => {
    const value = $(id).value.trim();
    if (value) {
      filters.set(name, value);
    }
  });
  const filtered = Array.from(filters.entries()).map(([name, value]) => name + ' ' + value).join(', ');
  filters.set('limit', HISTORY_PAGE);
  const changes = (await call('GET', '/split-routing/history?' + filters.toString())).json;
  $('history-summary').textContent = (changes.length === HISTORY_PAGE
    ? 'The newest ' + HISTORY_PAGE + ' changes (narrow the filters to see older ones)'
    : changes.length + ' change(s)') + (filtered ? ' for ' + filtered : '') + ', newest first';
  const asText = settings => settings === null || settings === undefined ? 'none' : JSON.stringify(settings);
  fill('history', changes, (row, change) => {
    cell(row, change.at);
    cell(row, change.actor);
    cell(row, change.source);
    cell(row, change.kind);
    cell(row, change.subject);
    cell(row, asText(change.before));
    cell(row, asText(change.after));
  });
}

async function run(action) {
  try {
    await action();
  } catch (error) {
    setStatus(error.message, 'error');
  }
}

// Everything the page shows, read again; what is being edited stays as it is.
function loadAll() {
  return Promise.all([loadHealth(), loadDomains(), loadJamesDomains(), loadUsers(), loadJamesUsers(), loadQueue(), loadHistory()]);
}

async function connect() {
  $('console').hidden = true;
  $('refresh').hidden = true;
  setStatus('Connecting…');
  await loadAll();
  $('console').hidden = false;
  $('refresh').hidden = false;
  setStatus('Connected', 'ok');
}

async function refresh() {
  setStatus('Refreshing…');
  await loadAll();
  setStatus('Refreshed at ' + new Date().toLocaleTimeString(), 'ok');
}

function onSubmit(formId, action) {
  $(formId).addEventListener('submit', event => {
    event.preventDefault();
    run(action);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  onSubmit('token-form', () => {
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    return connect();
  });
  $('refresh').addEventListener('click', () => run(refresh));
  $('add-domain').addEventListener('click', () => openDomainEditor(null));
  $('add-relay').addEventListener('click', () => addRelayRow(''));
  $('forward-unknown').addEventListener('change', () => {
    if (!$('verify-recipients').dataset.chosen) {
      $('verify-recipients').checked = $('forward-unknown').checked;
    }
  });
  $('verify-recipients').addEventListener('change', () => { $('verify-recipients').dataset.chosen = 'yes'; });
  onSubmit('domain-editor', saveDomain);
  $('cancel-domain').addEventListener('click', () => { $('domain-editor').hidden = true; });
  onSubmit('user-form', () => editUser($('username').value.trim()));
  $('save-user').addEventListener('click', () => run(saveUser));
  onSubmit('route-form', explain);
  onSubmit('history-form', loadHistory);
  $('retry-all').addEventListener('click', () => run(async () => {
    const answer = await call('POST', '/split-routing/queue/retry');
    setStatus(answer.json.retried + ' mail(s) tried again now', 'ok');
    await loadQueue();
  }));
  if (sessionStorage.getItem(TOKEN_KEY)) {
    run(connect);
  }
});
