/**
 * Lesson 2's promise table: every sentence of its text, its starters'
 * TODO goals, its commands' `--help` and the program contract that promises
 * something of the learner's programs, quoted, and the checks that prove it.
 *
 * @module
 */
import type { Promised } from "../harness/promises.ts";

export const promises: Promised[] = [
  // The program contract (the course's README).
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
    id: "contract-console",
    in: "contract",
    says: {
      en:
        "In lessons 2 and 3, what you type at a server's console is part of the conversation (replies in lesson 2, lines to everyone in lesson 3); `exit` there ends it.",
      ru:
        "В уроках 2 и 3 то, что вы набираете в консоли сервера, — часть разговора (ответы в уроке 2, строки для всех в уроке 3); `exit` там завершает разговор.",
    },
    checks: ["prints-and-replies", "server-exit"],
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
    checks: ["port-in-use", "client-refused", "client-server-resets", "client-one-shot-endings", "client-timeout"],
  },
  {
    id: "contract-ctrl-c",
    in: "contract",
    says: { en: "Ctrl+C stops a server cleanly.", ru: "Ctrl+C аккуратно останавливает сервер." },
    checks: ["ctrl-c"],
  },
  {
    id: "contract-help",
    in: "contract",
    says: {
      en: "Subcommands (`server`, `client`, …), each with `--help`",
      ru: "Подкоманды (`server`, `client`, …), у каждой есть `--help`",
    },
    checks: [],
    ungraded: {
      en:
        "the launcher (main.ts, given) parses the commands and prints their help; the course's contract tests check it",
      ru:
        "команды разбирает и их справку печатает запускалка (main.ts, дана готовой); это проверяют тесты контракта курса",
    },
  },

  // --help of each command.
  {
    id: "help-server-host",
    in: { help: "server", flag: "--host" },
    says: { en: "address to listen on (::1 for IPv6)", ru: "адрес, на котором слушать (::1 для IPv6)" },
    checks: ["announces-address"],
  },
  {
    id: "help-server-port",
    in: { help: "server", flag: "--port" },
    says: { en: "port to listen on; 0 picks a free one", ru: "порт, на котором слушать; 0 — любой свободный" },
    checks: ["announces-address"],
  },
  {
    id: "help-server-max-line",
    in: { help: "server", flag: "--max-line" },
    says: { en: "longest line accepted, in bytes", ru: "наибольшая длина принимаемой строки, в байтах" },
    checks: ["max-line"],
  },
  {
    id: "help-client-host",
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
    id: "help-client-message",
    in: { help: "client", flag: "--message" },
    says: {
      en: "send this line and print the reply, then exit (repeatable)",
      ru: "отправить эту строку, напечатать ответ и выйти (флаг можно повторять)",
    },
    checks: ["client-one-shot"],
  },
  {
    id: "help-client-timeout",
    in: { help: "client", flag: "--timeout" },
    says: {
      en: "with --message: give up waiting for a reply after ms",
      ru: "с --message: сколько мс ждать ответа, прежде чем сдаться",
    },
    checks: ["client-timeout"],
  },
  {
    id: "help-client-max-line",
    in: { help: "client", flag: "--max-line" },
    says: { en: "longest line accepted, in bytes", ru: "наибольшая длина принимаемой строки, в байтах" },
    checks: ["client-max-line"],
  },
  {
    id: "help-experiment",
    in: { help: "experiment" },
    says: {
      en: "see one write arrive as many reads, and many writes as one read",
      ru: "увидеть, как одна запись приходит многими чтениями, а много записей — одним чтением",
    },
    checks: [],
    ungraded: {
      en: "experiment.ts is given whole: a demonstration, not the learner's code",
      ru: "experiment.ts дан целиком: это демонстрация, а не код учащегося",
    },
  },

  // What you build.
  {
    id: "server-prints-then-replies",
    in: "text",
    says: {
      en:
        "It prints each line the client sends, then waits for its operator to type a reply at the console, and sends that.",
      ru:
        "Он печатает каждую строку, которую прислал клиент, затем ждёт, пока его оператор наберёт в консоли ответ, и отправляет этот ответ.",
    },
    checks: ["prints-and-replies", "two-lines-one-write"],
  },
  {
    id: "one-at-a-time",
    in: "text",
    says: {
      en: "`lessons/02-messaging/server.ts` holds a conversation with one client at a time.",
      ru: "`lessons/02-messaging/server.ts` ведёт разговор с одним клиентом за раз.",
    },
    checks: ["client-exit"],
  },
  {
    id: "client-both",
    in: "text",
    says: {
      en: "sends the lines you type and prints the server's lines as they arrive, both at once;",
      ru:
        "отправляет строки, которые вы набираете, и печатает строки сервера по мере их прихода, причём и то и другое одновременно;",
    },
    checks: ["client-both-at-once", "client-two-replies"],
  },
  {
    id: "client-message",
    in: "text",
    says: {
      en: "or, with `--message`, sends a few lines, prints the replies and leaves.",
      ru: "а с `--message` отправляет несколько строк, печатает ответы и уходит.",
    },
    checks: ["client-one-shot"],
  },

  // The rules.
  {
    id: "line-ending",
    in: "text",
    says: {
      en: 'A message is one line of UTF-8 text ending in `"\\n"`.',
      ru: 'Сообщение — это одна строка текста в UTF-8, которая кончается на `"\\n"`.',
    },
    checks: ["prints-and-replies", "byte-by-byte", "client-two-replies", "client-dribbled-reply"],
  },
  {
    id: "crlf",
    in: "text",
    says: {
      en: 'A line ending in `"\\r\\n"` is accepted too; the `"\\r"` is dropped.',
      ru: 'Строка, которая кончается на `"\\r\\n"`, тоже принимается; `"\\r"` отбрасывается.',
    },
    checks: ["crlf", "client-two-replies", "line-limit"],
  },
  {
    id: "limit-bytes",
    in: "text",
    says: {
      en: "A line holds at most 4096 bytes before its ending. Bytes, not characters: `привет` is 12.",
      ru:
        "В строке не больше 4096 байтов, не считая её окончания. Именно байтов, а не символов: `привет` — это 12 байтов.",
    },
    checks: ["line-limit", "max-line", "client-max-line"],
  },
  {
    id: "too-long-answer",
    in: "text",
    says: {
      en:
        "The server answers a longer line with `error: line longer than 4096 bytes; closing the connection` (with `--max-line N`: `N bytes`) and closes.",
      ru:
        "На более длинную строку сервер отвечает `error: line longer than 4096 bytes; closing the connection` (с `--max-line N`: `N bytes`) и закрывает соединение.",
    },
    checks: ["line-limit", "max-line", "long-line"],
  },
  {
    id: "invalid-utf8",
    in: "text",
    says: {
      en:
        "A line that is not valid UTF-8 gets the answer `error: that line is not valid UTF-8 text; send UTF-8`, and the conversation goes on.",
      ru:
        "На строку, которая не является корректным текстом в UTF-8, приходит ответ `error: that line is not valid UTF-8 text; send UTF-8`, и разговор продолжается.",
    },
    checks: ["invalid-utf8"],
  },
  {
    id: "exit-exactly",
    in: "text",
    says: {
      en: "The line `exit`, exactly, ends the conversation.",
      ru: "Строка `exit`, ровно такая, завершает разговор.",
    },
    checks: ["client-exit", "crlf", "client-types-exit", "client-two-replies"],
  },
  {
    id: "server-exit-sent",
    in: "text",
    says: {
      en: "Typed at the server, it is sent to the client first, so the client knows.",
      ru: "Если её набрали на сервере, она сначала отправляется клиенту, чтобы тот об этом узнал.",
    },
    checks: ["server-exit"],
  },
  {
    id: "ctrl-c-exit",
    in: "text",
    says: {
      en: "During a conversation, Ctrl+C at the server does the same and stops the server;",
      ru: "Во время разговора Ctrl+C на сервере делает то же самое и вдобавок останавливает сервер;",
    },
    checks: ["ctrl-c"],
  },
  {
    id: "console-end-exit",
    in: "text",
    says: {
      en: "so does closing its console (Ctrl+D).",
      ru: "так же действует закрытие его консоли (Ctrl+D).",
    },
    checks: ["console-closed"],
  },
  {
    id: "ctrl-c-linger",
    in: "text",
    says: {
      en: "If the client does not hang up, stopping takes up to the 2 s of the lingering close",
      ru: "Если клиент не отключается, остановка занимает до 2 с затяжного закрытия",
    },
    checks: ["ctrl-c"],
  },
  {
    id: "error-words",
    in: "text",
    says: {
      en: "Both `error:` lines are part of the protocol, word for word: the grader expects exactly these.",
      ru: "Обе строки `error:` — часть протокола, слово в слово: проверка ждёт именно их.",
    },
    checks: ["invalid-utf8", "line-limit", "max-line", "long-line"],
  },

  // What the programs print (the diagram, the demo).
  {
    id: "connected-line",
    in: "text",
    says: { en: "Client 127.0.0.1:48044 connected", ru: "Client 127.0.0.1:48044 connected" },
    checks: ["prints-and-replies"],
  },
  {
    id: "exit-logged",
    in: "text",
    says: {
      en: "[server] Client 127.0.0.1:48044 said exit; conversation over",
      ru: "[server] Client 127.0.0.1:48044 said exit; conversation over",
    },
    checks: ["client-exit"],
  },
  {
    id: "next-client-line",
    in: "text",
    says: { en: "[server] waiting for the next client", ru: "[server] waiting for the next client" },
    checks: [],
    ungraded: {
      en:
        "free words of given code that name nothing a check could judge; what they announce, the next client served, is graded",
      ru:
        "свободные слова готового кода, в которых нет ничего проверяемого; то, о чём они сообщают (обслуживание следующего клиента), проверяется",
    },
  },
  {
    id: "stopped-line",
    in: "text",
    says: { en: "[server] server stopped", ru: "[server] server stopped" },
    checks: [],
    ungraded: {
      en: "free words of given code; what they announce, the server's exit with code 0, is graded",
      ru: "свободные слова готового кода; то, о чём они сообщают (завершение сервера с кодом 0), проверяется",
    },
  },
  {
    id: "demo-client-lines",
    in: "text",
    says: {
      en: "[client] connected to 127.0.0.1:32771; type a line and press Enter to send it, exit to leave",
      ru: "[client] connected to 127.0.0.1:32771; type a line and press Enter to send it, exit to leave",
    },
    checks: ["client-both-at-once"],
  },
  {
    id: "demo-client-exit-line",
    in: "text",
    says: {
      en: "[client] you said exit; the server closed the connection",
      ru: "[client] you said exit; the server closed the connection",
    },
    checks: ["client-types-exit"],
  },

  // The commands.
  {
    id: "message-table",
    in: "text",
    says: {
      en: "one-shot: `--message TEXT` (repeatable) sends each line, prints its reply, exits",
      ru: "разовый режим: шлёт каждый `--message TEXT` (флаг повторяется), печатает ответ, выходит",
    },
    checks: ["client-one-shot"],
  },
  {
    id: "timeout",
    in: "text",
    says: {
      en: "With `--message`, `--timeout` (default 10000 ms) bounds the wait for each reply.",
      ru: "С `--message` флаг `--timeout` (по умолчанию 10000 мс) ограничивает ожидание каждого ответа.",
    },
    checks: ["client-timeout"],
  },

  // A stream, not messages; framing.
  {
    id: "decode-per-read",
    in: "text",
    says: {
      en: "A program that decoded each read on its own would print garbage.",
      ru: "Программа, которая декодировала бы каждое чтение отдельно, напечатала бы мусор.",
    },
    checks: ["utf8-split", "client-dribbled-reply"],
  },
  {
    id: "one-read-not-one-message",
    in: "text",
    says: {
      en: "A program that took one read as one message would print `one\\ntwo\\nthree` as a single message.",
      ru:
        "Программа, которая считает одно чтение одним сообщением, напечатала бы `one\\ntwo\\nthree` как одно сообщение.",
    },
    checks: ["two-lines-one-write"],
  },
  {
    id: "fatal-decoder",
    in: "text",
    says: {
      en:
        'By default `TextDecoder` replaces bytes that are not UTF-8 with `"\\uFFFD"` (`�`) and says nothing; the server would print junk as if it were a message.',
      ru:
        'По умолчанию `TextDecoder` молча заменяет байты, которые не являются UTF-8, на `"\\uFFFD"` (`�`), и сервер напечатал бы мусор так, будто это сообщение.',
    },
    checks: ["invalid-utf8"],
  },
  {
    id: "invalid-then-next",
    in: "text",
    says: {
      en: "The bad line has been read whole, so the next line starts at a known place and the conversation can go on.",
      ru:
        "Плохая строка прочитана целиком, поэтому следующая начинается в известном месте, и разговор может продолжаться.",
    },
    checks: ["invalid-utf8"],
  },

  // A bounded buffer.
  {
    id: "buffer-room",
    in: "text",
    says: {
      en: 'one fixed buffer of `limit + 2` bytes, room for the longest allowed line plus `"\\r\\n"`',
      ru:
        'один буфер фиксированного размера в `limit + 2` байтов: место для самой длинной разрешённой строки плюс `"\\r\\n"`',
    },
    checks: ["line-limit"],
  },
  {
    id: "keep-rest",
    in: "text",
    says: {
      en:
        '**The bytes after the `"\\n"` stay where they are**: they are the beginning of the next line, perhaps the whole next line',
      ru:
        '**Байты после `"\\n"` остаются на месте**: это начало следующей строки, а может быть, и вся следующая строка',
    },
    checks: ["two-lines-one-write", "client-two-replies"],
  },
  {
    id: "full-buffer",
    in: "text",
    says: {
      en: 'If the buffer is full and still holds no `"\\n"`, the line is over the limit: `LineTooLong`.',
      ru: 'Если буфер полон, а `"\\n"` в нём так и нет, строка превысила лимит: `LineTooLong`.',
    },
    checks: ["long-line", "line-limit"],
  },
  {
    id: "cut-short",
    in: "text",
    says: {
      en:
        "When `read` gives `null` (end of stream), no unread bytes means a clean end between lines; some means the peer left in the middle of one, `CutShort`.",
      ru:
        "Когда `read` возвращает `null` (конец потока), отсутствие непрочитанных байтов означает чистое завершение между строками; если они есть, собеседник ушёл посреди строки: `CutShort`.",
    },
    checks: ["mid-line", "client-leaves", "client-half-close"],
  },

  // Partial writes.
  {
    id: "write-loop",
    in: "text",
    says: {
      en: "`writeLine` (your TODO 4) loops instead: write what is left, add what was taken, until nothing is left.",
      ru:
        "`writeLine` (ваш TODO 4) вместо этого крутит цикл: записать то, что осталось, прибавить то, что взято, и так, пока ничего не останется.",
    },
    checks: ["client-sends-all"],
  },

  // Closing.
  {
    id: "client-half-close",
    in: "text",
    says: {
      en:
        "When you press Ctrl+D, or when the client's input is piped from a file and runs out, the client has nothing more to say, but the server may still owe it a reply. So it half-closes and keeps reading.",
      ru:
        "Когда вы нажимаете Ctrl+D или когда ввод клиента перенаправлен из файла и файл кончился, клиенту больше нечего сказать, но сервер, возможно, ещё должен ему ответ. Поэтому клиент полузакрывает соединение и продолжает читать.",
    },
    checks: ["client-half-close"],
  },
  {
    id: "server-reply-after-fin",
    in: "text",
    says: {
      en:
        "The server takes an end of stream during its own turn as exactly that: it still sends the reply typed at its console, and only at the client's next turn does it see the end and finish.",
      ru:
        "Сервер понимает конец потока во время своего хода именно так: он всё равно отправляет ответ, набранный в его консоли, и только на следующем ходе клиента видит конец и завершает разговор.",
    },
    checks: ["client-leaves"],
  },
  {
    id: "closed-logged",
    in: "text",
    says: {
      en: "then the server logged `Client 127.0.0.1:36972 closed the connection`",
      ru: "а затем сервер записал в лог `Client 127.0.0.1:36972 closed the connection`",
    },
    checks: ["client-leaves"],
  },
  {
    id: "lingering",
    in: "text",
    says: {
      en:
        "So the server calls `closeGently` (given in `server.ts`): it half-closes, reads and throws away whatever the client still sends until the client closes too (at most 2 s), then closes.",
      ru:
        "Поэтому сервер вызывает `closeGently` (он дан готовым в `server.ts`): он полузакрывает соединение, читает и выбрасывает всё, что клиент ещё присылает, пока тот тоже не закроет соединение (но не дольше 2 с), и только потом закрывает его.",
    },
    checks: ["long-line", "server-exit", "client-exit", "ctrl-c"],
  },
  {
    id: "lingering-background",
    in: "text",
    says: {
      en: "It runs in the background, so the next client is not kept waiting.",
      ru: "Оно идёт в фоне, так что следующему клиенту ждать не приходится.",
    },
    checks: ["client-exit"],
  },

  // One conversation at a time.
  {
    id: "queue",
    in: "text",
    says: {
      en:
        "A second client is not refused. The kernel completes its handshake and puts it in the listen queue (lesson 1): its `connect` has succeeded, and what it sends is kept in the kernel's receive buffer. Queued clients are served next, in the order they came; they are not told anything, and to them the server just looks slow.",
      ru:
        "Второму клиенту не отказывают. Ядро проводит его рукопожатие и ставит его в очередь listen (урок 1): его `connect` прошёл успешно, а всё, что он присылает, хранится в приёмном буфере ядра. Клиентов из очереди обслуживают следующими, в порядке прихода; им ничего не сообщают, и для них сервер просто выглядит медленным.",
    },
    checks: ["client-exit"],
  },

  // The console and the socket at the same time.
  {
    id: "client-loops",
    in: "text",
    says: {
      en:
        "One reads the socket and prints the server's lines; it also decides when the conversation is over (the server's `exit`, or its close). The other reads the console and sends.",
      ru:
        "Один читает сокет и печатает строки сервера; он же решает, когда разговор окончен (`exit` от сервера или закрытие соединения). Другой читает консоль и отправляет строки.",
    },
    checks: ["client-server-exit", "client-server-closes", "client-both-at-once"],
  },
  {
    id: "client-ctrl-c",
    in: "text",
    says: {
      en: "`Promise.race` over the two, and over Ctrl+C, says what happened first.",
      ru: "`Promise.race` по этим двум циклам, а заодно и по Ctrl+C, говорит, что случилось первым.",
    },
    checks: ["client-both-at-once"],
  },
  {
    id: "reset-while-typing",
    in: "text",
    says: {
      en:
        "If the connection is reset while the operator types, the turn ends at once with `Client … is gone (ConnectionReset) before your reply`; a line the client sends meanwhile waits for its turn.",
      ru:
        "Если соединение сбросят, пока оператор печатает, ход сразу заканчивается сообщением `Client … is gone (ConnectionReset) before your reply`; строка, которую клиент пришлёт тем временем, ждёт своего хода.",
    },
    checks: ["console-idle", "two-lines-one-write"],
  },
  {
    id: "console-not-kept",
    in: "text",
    says: {
      en: "a line typed when no client waits for a reply is reported as not sent, never kept for the next client.",
      ru:
        "строка, набранная, когда ни один клиент не ждёт ответа, помечается как неотправленная и никогда не достаётся следующему клиенту.",
    },
    checks: ["console-idle"],
  },

  // Trying it with real peers.
  {
    id: "split-line-once",
    in: "text",
    says: {
      en:
        'For the split line it printed `127.0.0.1:45398: hello` once, a second after the connection, when the `"\\n"` came',
      ru:
        'Разрезанную строку сервер напечатал как `127.0.0.1:45398: hello` один раз, через секунду после подключения, когда пришёл `"\\n"`',
    },
    checks: ["byte-by-byte"],
  },
  {
    id: "exactly-4096",
    in: "text",
    says: {
      en: "A 4096-byte line, one `x` fewer, is printed like any other.",
      ru: "Строка из 4096 байтов, на один `x` короче, печатается как любая другая.",
    },
    checks: ["line-limit"],
  },
  {
    id: "client-exit-wait",
    in: "text",
    says: {
      en:
        "So the client waits 2 s (as long as the server's lingering close) for a close that never comes and then closes itself. Type `exit` in the `nc` terminal instead, and the client ends at once with `the server ended the conversation`.",
      ru:
        "Поэтому клиент 2 с (столько же, сколько длится затяжное закрытие на сервере) ждёт закрытия, которого так и не будет, а затем закрывает соединение сам. Наберите `exit` в терминале `nc`, и клиент сразу завершится с `the server ended the conversation`.",
    },
    checks: ["client-types-exit", "client-server-exit"],
  },

  // TODO goals the text does not spell out.
  {
    id: "client-over-limit",
    in: { todo: "client.ts" },
    says: {
      en: "A line over options.maxLine bytes (byteLength): say so, do not send.",
      ru: "Строка длиннее options.maxLine байтов (byteLength): сообщить об этом и не отправлять.",
    },
    checks: ["client-max-line"],
  },
  {
    id: "one-shot-endings",
    in: { todo: "client.ts" },
    says: {
      en:
        'null: throw an Error saying the server closed before replying; "exit": print that the server ended the conversation and return. A message "exit" ends the loop (break) without waiting for a reply',
      ru:
        'null: бросить Error о том, что сервер закрыл соединение, не ответив; "exit": напечатать, что сервер закончил разговор, и выйти (return). Сообщение "exit" завершает цикл (break) без ожидания ответа',
    },
    checks: ["client-one-shot-endings"],
  },
  {
    id: "trace",
    in: "text",
    says: {
      en: "runs the same demo through a relay and draws the conversation as a ladder",
      ru: "запускает то же демо через ретранслятор и рисует разговор лестницей",
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
