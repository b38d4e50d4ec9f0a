/**
 * Lesson 3's promise table: what its text, its TODO goals, its `--help` and
 * the program contract promise about the learner's chat server and client,
 * quoted where it is said, and the checks that prove it.
 *
 * @module
 */
import type { Promised } from "../harness/promises.ts";

const server = { todo: "server.ts" };
const client = { todo: "client.ts" };

export const promises: Promised[] = [
  // What you build, and the protocol.
  {
    id: "server-relays",
    in: "text",
    says: {
      en:
        "accepts any number of clients (up to `--max-clients`), keeps them in a registry by name and relays every line one of them sends to all the others. Lines typed at its console go to everyone.",
      ru:
        "принимает сколько угодно клиентов (до `--max-clients`), хранит их в реестре по именам и пересылает каждую строку, которую прислал один из них, всем остальным. Строки, набранные в его консоли, уходят всем.",
    },
    checks: ["relay-to-others", "many-clients", "server-console"],
  },
  {
    id: "client-role",
    in: "text",
    says: {
      en: "joins under a name, prints what the others say as it arrives and sends what you type",
      ru: "входит в чат под именем, печатает то, что говорят другие, по мере прихода и отправляет то, что набираете вы",
    },
    checks: ["client-sends-name-and-lines", "client-prints-idle", "learner-clients"],
  },
  {
    id: "utf8-lines",
    in: "text",
    says: {
      en: 'The protocol, all lines of UTF-8 text ending in `"\\n"`',
      ru: 'Протокол; все его строки — текст в UTF-8 с `"\\n"` в конце',
    },
    checks: ["relay-to-others", "client-prints-idle", "client-sends-name-and-lines"],
  },
  {
    id: "name-rule",
    in: "text",
    says: {
      en:
        "The first line is the name: 1 to 24 letters (any alphabet), digits, `_` or `-`. Anything else gets `* error: a name is 1 to 24 letters, digits, _ or -, sent as the first line` and a close.",
      ru:
        "Первая строка — это имя: от 1 до 24 букв (любого алфавита), цифр, `_` или `-`. На всё остальное приходит `* error: a name is 1 to 24 letters, digits, _ or -, sent as the first line` и закрытие.",
    },
    checks: ["names"],
  },
  {
    id: "control-refused",
    in: "text",
    says: {
      en:
        "A line with control characters is not relayed: its sender alone gets `* error: that line has control characters (such as ESC); it was not sent`.",
      ru:
        "Строка с управляющими символами не пересылается: только её отправитель получает `* error: that line has control characters (such as ESC); it was not sent`.",
    },
    checks: ["control-characters"],
  },
  {
    id: "client-escapes",
    in: "text",
    says: {
      en:
        "the given `lineReader` turns every control character but the tab into `\\x` and two hex digits, ESC into `\\x1b`, CR into `\\x0d`, NUL into `\\x00`.",
      ru:
        "готовый `lineReader` превращает каждый управляющий символ, кроме табуляции, в `\\x` и две шестнадцатеричные цифры: ESC в `\\x1b`, CR в `\\x0d`, NUL в `\\x00`.",
    },
    checks: ["client-shows-control"],
  },
  {
    id: "reset-storm",
    in: "text",
    says: {
      en:
        "any other failure is one connection's, and it takes the next at once. A storm is logged as a count: the first failure as it happens, then at most one line a second,",
      ru:
        "Любая другая ошибка касается одного соединения, и цикл сразу принимает следующее. О буре лог сообщает числом: первая ошибка записывается сразу, затем не больше строки в секунду:",
    },
    checks: ["reset-storm"],
  },
  {
    id: "name-timeout",
    in: "text",
    says: {
      en: "The given `join` closes a client that sends no name within 10 s.",
      ru: "Готовый `join` отключает клиента, который не прислал имя за 10 с.",
    },
    checks: [],
    ungraded: {
      en:
        "given whole (join in server.ts), and seeing it takes 10 s of waiting, more than the whole grade may; the ctrl-c, server-exit and connection-cap checks prove that a connection without a name neither keeps a stopping server alive nor goes uncounted",
      ru:
        "дано готовым (join в server.ts), а чтобы это увидеть, нужно ждать 10 с — дольше, чем может идти вся проверка; проверки ctrl-c, server-exit и connection-cap доказывают, что соединение без имени не держит останавливающийся сервер и учитывается в лимите",
    },
  },
  {
    id: "name-number",
    in: "text",
    says: {
      en:
        "A taken name gets a number: the second `ann` becomes `ann2`, then `ann3`. The welcome line says which name you got and who is already there. `server` is always taken, since the console speaks under it.",
      ru:
        "Занятое имя получает номер: второй `ann` становится `ann2`, затем `ann3`. Приветствие сообщает, какое имя вам досталось и кто уже здесь. Имя `server` занято всегда, потому что под ним говорит консоль.",
    },
    checks: ["unique-names", "welcome-and-join"],
  },
  {
    id: "notices-together",
    in: "text",
    says: {
      en:
        "A newcomer passes itself, `announce(bytes, client)`, and hears only the notices after its own. Anything else the room sends (a chat line, an error for one client) first sends what waits, so nobody sees events out of order.",
      ru:
        "Новичок передаёт себя, `announce(bytes, client)`, и слышит только извещения после своего. Всё остальное, что отправляет комната (строка чата, ошибка для одного клиента), сначала отправляет то, что ждёт, так что никто не видит события не по порядку.",
    },
    checks: ["welcome-and-join"],
  },
  {
    id: "relay-format",
    in: "text",
    says: {
      en: "Each later line goes to all the other clients as `name: text`, once each, never back to its sender.",
      ru:
        "Каждая следующая строка уходит всем остальным клиентам как `name: text`, каждому по одному разу и никогда — обратно отправителю.",
    },
    checks: ["relay-to-others", "order-per-sender"],
  },
  {
    id: "notices",
    in: "text",
    says: {
      en:
        "Lines that start with an asterisk and a space are notices: `* bob joined`, `* bob left`, `* dropped: …`, `* slow down: …`.",
      ru:
        "Строки, которые начинаются со звёздочки и пробела, — это уведомления: `* bob joined`, `* bob left`, `* dropped: …`, `* slow down: …`.",
    },
    checks: ["welcome-and-join", "leave-notice", "long-line", "flood"],
  },
  {
    id: "client-exit",
    in: "text",
    says: {
      en: "`exit` from a client is not relayed: the client gets `* goodbye` and a close, the others `* NAME left`.",
      ru: "`exit` от клиента не пересылается: клиент получает `* goodbye` и закрытие, а остальные — `* NAME left`.",
    },
    checks: ["client-exit"],
  },
  {
    id: "stop-all",
    in: "text",
    says: {
      en:
        "`exit` at the server's console, Ctrl+C or the end of the console's input tells every client why, closes them all and stops the server with exit code 0.",
      ru:
        "`exit` в консоли сервера, Ctrl+C или конец ввода консоли сообщают каждому клиенту причину, закрывают все соединения и останавливают сервер с кодом возврата 0.",
    },
    checks: ["server-exit", "console-end", "ctrl-c"],
  },
  {
    id: "client-left-line",
    in: "text",
    says: { en: "[carol] you left the chat", ru: "[carol] you left the chat" },
    checks: ["client-types-exit"],
  },
  {
    id: "log-closing",
    in: "text",
    says: {
      en: "[server] the server is stopping: closing 0 connection(s)",
      ru: "[server] the server is stopping: closing 0 connection(s)",
    },
    checks: ["server-exit"],
  },
  // The room.
  {
    id: "recipient-fails",
    in: "text",
    says: {
      en:
        "If the loop awaits each write inside one `try`, the error leaves the loop and clients four to a hundred never get the line.",
      ru:
        "Если цикл ждёт каждую запись внутри одного `try`, ошибка выходит из цикла, и клиенты с четвёртого по сотый строку так и не получат.",
    },
    checks: ["reset-mid-broadcast"],
  },
  {
    id: "slow-stalls",
    in: "text",
    says: {
      en: "An awaiting loop waits with it, and so does every later line for every other client.",
      ru: "Цикл с `await` ждёт вместе с ней, а с ним и каждая следующая строка для всех остальных клиентов.",
    },
    checks: ["slow-reader"],
  },
  {
    id: "exit-lines-before",
    in: "text",
    says: {
      en: "the client said `exit` (the lines before it in the same read are relayed first, `exit` itself is not)",
      ru: "клиент сказал `exit` (строки перед ним из того же чтения сначала пересылаются, а сам `exit` — нет)",
    },
    checks: ["client-exit"],
  },
  // Backpressure.
  {
    id: "queue-drop",
    in: "text",
    says: {
      en:
        "`send` adds the bytes if the total stays within `--max-queue` (256 KiB); otherwise the client is dropped: it gets `* dropped: send queue exceeded (N bytes unread)` if it ever reads again, the others get `* NAME dropped: send queue exceeded …`, and its connection is closed. Its memory is freed, and nobody else noticed anything.",
      ru:
        "`send` добавляет байты, если сумма остаётся в пределах `--max-queue` (256 КиБ); иначе клиента отключают: он получает `* dropped: send queue exceeded (N bytes unread)`, если когда-нибудь снова начнёт читать, остальные — `* NAME dropped: send queue exceeded …`, а его соединение закрывается. Его память освобождается, а больше никто ничего не заметил.",
    },
    checks: ["slow-reader"],
  },
  {
    id: "one-write",
    in: "text",
    says: {
      en:
        "A client's writer therefore takes everything queued for it and sends it in one write: small pieces are joined up to 64 KiB, a big piece goes as it is.",
      ru:
        "Поэтому писатель клиента забирает всё, что накопилось для него в очереди, и отправляет одной записью: мелкие куски склеиваются до 64 КиБ, большой кусок уходит как есть.",
    },
    checks: [],
    ungraded: {
      en:
        "a matter of speed, not of what arrives (the writer is given whole); deno task bench --lesson 3 measures it, and checks set no speed targets",
      ru:
        "это вопрос скорости, а не того, что приходит (писатель дан готовым); это измеряет deno task bench --lesson 3, а проверки не ставят целей по скорости",
    },
  },
  // Flood control.
  {
    id: "token-bucket",
    in: "text",
    says: {
      en:
        "the bucket holds up to `--burst` tokens (100) and refills at `--rate` tokens a second (20). Each line takes a token.",
      ru:
        "в ведро помещается до `--burst` токенов (100), и оно пополняется со скоростью `--rate` токенов в секунду (20). Каждая строка забирает один токен.",
    },
    checks: ["token-bucket", "flood"],
  },
  {
    id: "stops-reading",
    in: "text",
    says: {
      en:
        "When the bucket is empty the server stops reading. It relays as many lines of the current read as there are tokens, holds the rest, waits until a token is due, and reads nothing more from that client meanwhile.",
      ru:
        "Когда ведро пусто, сервер перестаёт читать. Он пересылает столько строк текущего чтения, сколько есть токенов, придерживает остальные, ждёт, пока не появится следующий токен, и всё это время ничего не читает у этого клиента.",
    },
    checks: ["flood"],
  },
  {
    id: "log-throttle-once",
    in: "text",
    says: {
      en: "The server logged `flood sends more than 20 lines/s; reading it more slowly` once.",
      ru: "Сервер один раз записал в лог `flood sends more than 20 lines/s; reading it more slowly`.",
    },
    checks: ["flood"],
  },
  {
    id: "own-bucket",
    in: "text",
    says: {
      en:
        "Every client has its own bucket and its own reader, so while flood's handler waits, the others talk as usual.",
      ru:
        "У каждого клиента своё ведро и свой читатель, поэтому, пока обработчик flood ждёт, остальные разговаривают как обычно.",
    },
    checks: ["token-bucket", "flood"],
  },
  // Order.
  {
    id: "order",
    in: "text",
    says: {
      en:
        "The server promises that the lines of one sender reach each recipient once, whole and in the order they were sent.",
      ru:
        "Сервер обещает, что строки одного отправителя дойдут до каждого получателя по одному разу, целыми и в том порядке, в каком были отправлены.",
    },
    checks: ["order-per-sender"],
  },
  // Leaving.
  {
    id: "leave-closed",
    in: "text",
    says: {
      en: "it closed its connection | nothing (it is gone) | `* NAME left`",
      ru: "он закрыл своё соединение | ничего (его уже нет) | `* NAME left`",
    },
    checks: ["leave-notice"],
  },
  {
    id: "leave-reset",
    in: "text",
    says: {
      en: "its connection was reset | nothing | `* NAME lost the connection (…)`",
      ru: "его соединение сброшено | ничего | `* NAME lost the connection (…)`",
    },
    checks: ["reset-mid-line"],
  },
  {
    id: "leave-rule",
    in: "text",
    says: {
      en: "it broke a rule (queue, line length) | `* dropped: …`, then the close | `* NAME dropped: …`",
      ru: "он нарушил правило (очередь, длина строки) | `* dropped: …`, затем закрытие | `* NAME dropped: …`",
    },
    checks: ["long-line", "slow-reader"],
  },
  {
    id: "half-line",
    in: "text",
    says: {
      en: 'A line cut short by a hang-up or a reset is not relayed: only a line that ends in `"\\n"` is a line.',
      ru:
        'Строка, оборванная брошенной трубкой или сбросом, не пересылается: строка — только то, что кончается на `"\\n"`.',
    },
    checks: ["leave-notice", "reset-mid-line"],
  },
  {
    id: "last-line",
    in: "text",
    says: {
      en: "The server's last line must survive its own close.",
      ru: "Последняя строка сервера должна пережить закрытие, которое делает сам сервер.",
    },
    checks: ["client-exit", "server-exit"],
  },
  {
    id: "shutdown",
    in: "text",
    says: {
      en:
        '`exit` at the console (TODO 8 returns `"the server is shutting down"`), Ctrl+C (`"the server is stopping"`) or the end of the console\'s input (`"the console is closed"`) closes the listener, sends every client the reason as a notice (`* the server is shutting down`), closes each one gently',
      ru:
        '`exit` в консоли (TODO 8 возвращает `"the server is shutting down"`), Ctrl+C (`"the server is stopping"`) или конец ввода консоли (`"the console is closed"`) закрывают слушающий сокет, отправляют каждому клиенту причину в виде уведомления (`* the server is shutting down`), бережно закрывают каждое соединение',
    },
    checks: ["server-exit", "console-end", "ctrl-c"],
  },
  {
    id: "console-closed",
    in: "text",
    says: {
      en:
        "Closing the console is a way to stop the server too: started with its input from `/dev/null` it stops at once",
      ru:
        "Закрыть консоль — это тоже способ остановить сервер: если запустить его с вводом из `/dev/null`, он сразу остановится",
    },
    checks: ["console-end"],
  },
  {
    id: "log-arrivals",
    in: "text",
    says: {
      en: "The server logged each arrival and departure, such as `ann2 joined from 127.0.0.1:54596 (asked for ann)`",
      ru: "Сервер записывал в лог каждый приход и уход, например `ann2 joined from 127.0.0.1:54596 (asked for ann)`",
    },
    checks: ["welcome-and-join", "unique-names", "leave-notice"],
  },
  {
    id: "client-loops",
    in: "text",
    says: {
      en:
        "one prints what the server sends and ends when the server closes, the other sends what you type. Others talk whenever they like, so their lines must appear while you are still typing yours",
      ru:
        "один печатает то, что присылает сервер, и заканчивается, когда сервер закрывает соединение, другой отправляет то, что вы набираете. Остальные говорят когда захотят, поэтому их строки должны появляться, пока вы ещё набираете свою",
    },
    checks: ["client-console-closes", "client-server-closes", "client-prints-idle"],
  },
  // The program contract.
  {
    id: "contract-listening",
    in: "contract",
    says: {
      en: "A server's first line on stdout is `listening on HOST:PORT` with the real port",
      ru: "Первая строка сервера в stdout — `listening on HOST:PORT` с настоящим портом",
    },
    checks: ["announces-address"],
  },
  {
    id: "contract-errors",
    in: "contract",
    says: {
      en:
        "Errors (port in use, connection refused) are one line on stderr and a non-zero exit code, never a stack trace.",
      ru:
        "Ошибки (порт занят, в соединении отказано) — это одна строка в stderr и ненулевой код возврата, никогда не трассировка стека.",
    },
    checks: ["port-in-use", "client-refused", "client-server-resets"],
  },
  {
    id: "contract-ctrl-c",
    in: "contract",
    says: { en: "Ctrl+C stops a server cleanly.", ru: "Ctrl+C аккуратно останавливает сервер." },
    checks: ["ctrl-c"],
  },
  {
    id: "contract-console",
    in: "contract",
    says: {
      en:
        "what you type at a server's console is part of the conversation (replies in lesson 2, lines to everyone in lesson 3); `exit` there ends it.",
      ru:
        "то, что вы набираете в консоли сервера, — часть разговора (ответы в уроке 2, строки для всех в уроке 3); `exit` там завершает разговор.",
    },
    checks: ["server-console", "server-exit"],
  },
  // TODO goals.
  {
    id: "todo-serve",
    in: server,
    says: {
      en:
        "serve this connection: serve(conn, room, options), without awaiting it, so the loop goes straight back to accept() and every client is served at once",
      ru:
        "обслужить это соединение: serve(conn, room, options), не дожидаясь его (без await), чтобы цикл сразу вернулся к accept() и все клиенты обслуживались одновременно",
    },
    checks: ["welcome-and-join", "many-clients"],
  },
  {
    id: "todo-add",
    in: server,
    says: {
      en:
        'pick the name: wanted, or wanted2, wanted3… while taken ("server" is always taken). Make new Client(conn, name, peer, this), put it in #clients, send it "* welcome, NAME; here: OTHERS',
      ru:
        'выбрать имя: wanted, а пока оно занято — wanted2, wanted3… ("server" занято всегда). Создать new Client(conn, name, peer, this), положить его в #clients, отправить ему "* welcome, NAME; here: OTHERS',
    },
    checks: ["welcome-and-join", "unique-names"],
  },
  {
    id: "todo-broadcast",
    in: server,
    says: {
      en:
        "queue bytes for every client in #clients except from, with client.send(bytes). Never await here: a slow or broken client must not hold up the others",
      ru:
        "поставить bytes в очередь каждому клиенту из #clients, кроме from, через client.send(bytes). Здесь никогда не ждать (await): медленный или сломанный клиент не должен задерживать остальных",
    },
    checks: ["relay-to-others", "slow-reader", "reset-mid-broadcast"],
  },
  {
    id: "todo-queue",
    in: server,
    says: {
      en:
        "queue the bytes: if #queued + bytes.length would pass room.options.maxQueue, the client is not reading: room.drop(this, 'send queue exceeded') and return. Else push them on #queue, add to #queued, and start the writer if none runs",
      ru:
        "поставить байты в очередь: если #queued + bytes.length превысит room.options.maxQueue, клиент не читает: room.drop(this, 'send queue exceeded') и выйти (return). Иначе добавить их в #queue, прибавить их длину к #queued и запустить писателя, если он ещё не работает",
    },
    checks: ["relay-to-others", "slow-reader"],
  },
  {
    id: "todo-remove",
    in: server,
    says: {
      en:
        "take the client out of #clients, then close it with client.close(last) (keep that promise in #closing until it settles, so shutdown can wait for it), tell the others",
      ru:
        "убрать клиента из #clients, затем закрыть его через client.close(last) (держать этот промис в #closing, пока он не завершится, чтобы shutdown мог его дождаться), сообщить остальным",
    },
    checks: ["leave-notice", "unique-names", "client-exit"],
  },
  {
    id: "todo-exit",
    in: server,
    says: {
      en:
        'the client said exit: first broadcast the lines before it (concat(parts, size)), then room.leave(client, "left", "* goodbye"), and return false',
      ru:
        'клиент сказал exit: сначала разослать строки перед ним (concat(parts, size)), затем room.leave(client, "left", "* goodbye") и вернуть false',
    },
    checks: ["client-exit"],
  },
  {
    id: "todo-hang-up",
    in: server,
    says: {
      en: 'the client hung up (read gave null): room.leave(client, "left"), and return',
      ru: 'клиент повесил трубку (read вернул null): room.leave(client, "left") и выйти (return)',
    },
    checks: ["leave-notice"],
  },
  {
    id: "todo-console",
    in: server,
    says: {
      en:
        'a line typed at the console: "exit" returns "the server is shutting down" (runServer then closes everyone); any other line goes to every client as `server: ${line}',
      ru:
        'строка, набранная в консоли: на "exit" вернуть "the server is shutting down" (тогда runServer закроет всех); любую другую строку разослать каждому клиенту как `server: ${line}',
    },
    checks: ["server-console", "server-exit"],
  },
  {
    id: "todo-print",
    in: client,
    says: {
      en:
        "print every line from the server as it comes: incoming() resolves with the next line, or null when the server has closed the connection (then return)",
      ru:
        "печатать каждую строку от сервера, как только она приходит: incoming() разрешается следующей строкой или null, когда сервер закрыл соединение (тогда выйти: return)",
    },
    checks: ["client-prints-idle", "client-server-closes", "learner-clients"],
  },
  {
    id: "todo-send",
    in: client,
    says: {
      en:
        'send every line typed: options.console() resolves with the next one, or null when the console is closed (then leave the loop). After sending "exit", set saidExit = true and return',
      ru:
        'отправлять каждую набранную строку: options.console() разрешается следующей строкой или null, когда консоль закрыта (тогда выйти из цикла). Отправив "exit", установить saidExit = true и выйти (return)',
    },
    checks: ["client-sends-name-and-lines", "client-types-exit", "client-console-closes"],
  },
  // --help.
  {
    id: "help-host",
    in: { help: "server", flag: "--host" },
    says: { en: "address to listen on (::1 for IPv6)", ru: "адрес, на котором слушать (::1 для IPv6)" },
    checks: ["announces-address"],
  },
  {
    id: "help-port",
    in: { help: "server", flag: "--port" },
    says: { en: "port to listen on; 0 picks a free one", ru: "порт, на котором слушать; 0 — любой свободный" },
    checks: ["announces-address"],
  },
  {
    id: "help-max-line",
    in: { help: "server", flag: "--max-line" },
    says: { en: "longest line accepted, in bytes", ru: "наибольшая длина принимаемой строки, в байтах" },
    checks: ["long-line"],
  },
  {
    id: "help-max-queue",
    in: { help: "server", flag: "--max-queue" },
    says: {
      en: "bytes waiting for one client before it is dropped as too slow",
      ru: "сколько байт может ждать отправки одному клиенту, прежде чем его отключат как слишком медленного",
    },
    checks: ["slow-reader"],
  },
  {
    id: "help-max-clients",
    in: { help: "server", flag: "--max-clients" },
    says: {
      en: "connections at once; more are turned away",
      ru: "соединений одновременно; сверх этого получают отказ",
    },
    checks: ["connection-cap"],
  },
  {
    id: "help-rate",
    in: { help: "server", flag: "--rate" },
    says: {
      en: "lines a second one client may send (0: no limit)",
      ru: "строк в секунду от одного клиента (0 — без ограничения)",
    },
    checks: ["token-bucket"],
  },
  {
    id: "help-burst",
    in: { help: "server", flag: "--burst" },
    says: {
      en: "lines one client may send at once before the rate applies",
      ru: "сколько строк один клиент может прислать разом, прежде чем начнёт действовать --rate",
    },
    checks: ["token-bucket"],
  },
  {
    id: "help-client-address",
    in: { help: "client", flag: "--host" },
    says: { en: "the server's host", ru: "хост сервера" },
    checks: ["client-refused"],
  },
  {
    id: "help-client-port",
    in: { help: "client", flag: "--port" },
    says: { en: "the server's port", ru: "порт сервера" },
    checks: ["client-refused"],
  },
  {
    id: "help-client-name",
    in: { help: "client", flag: "--name" },
    says: { en: "your name in the chat (letters, digits, _ and -)", ru: "ваше имя в чате (буквы, цифры, _ и -)" },
    checks: ["client-sends-name-and-lines"],
  },
  {
    id: "help-compare",
    in: { help: "compare" },
    says: {
      en: "measure one-client-at-a-time against all-at-once serving",
      ru: "сравнить обслуживание по одному клиенту за раз и всех сразу",
    },
    checks: [],
    ungraded: {
      en: "compare is given whole (compare.ts), flags and all; it measures, the learner writes none of it",
      ru: "compare дан готовым (compare.ts) вместе с флагами; это измерение, учащийся не пишет в нём ничего",
    },
  },
  {
    id: "trace",
    in: "text",
    says: {
      en: "runs the same demo through a relay and draws each client's connection as a ladder",
      ru: "запускает то же демо через ретранслятор и рисует соединение каждого клиента лестницей",
    },
    checks: [],
    ungraded: {
      en:
        "the relay and the ladder are given code (main.ts and lessons/_shared/trace.ts), not the learner's: tests/trace_test.ts proves them",
      ru:
        "ретранслятор и лестница — выданный код (main.ts и lessons/_shared/trace.ts), а не код ученика: их доказывает tests/trace_test.ts",
    },
  },
];
