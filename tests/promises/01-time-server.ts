/**
 * Lesson 1's promise table: what its text, its starters' TODO goals, its
 * programs' `--help` and the course's program contract promise about the
 * learner's server and client, and the checks that prove it. How the suite
 * holds it: tests/harness/promises.ts.
 *
 * @module
 */
import type { Promised } from "../harness/promises.ts";

const server = "server.ts";
const client = "client.ts";

/** The promises of lesson 1, server first, then client. */
export const promises: Promised[] = [
  {
    id: "first-line",
    in: "contract",
    says: {
      en: "A server's first line on stdout is `listening on HOST:PORT` with the real port",
      ru: "Первая строка сервера в stdout — `listening on HOST:PORT` с настоящим портом",
    },
    also: [
      {
        in: "contract",
        says: { en: "`--port 0` takes any free port", ru: "с `--port 0` сервер занимает любой свободный порт" },
      },
      {
        in: { todo: server },
        says: {
          en: "replace this todo() with the text 'listening on ADDRESS', the address you really got",
          ru: "заменить этот todo() текстом 'listening on ADDRESS' с адресом, который вы на самом деле получили",
        },
      },
      { in: { help: "server", flag: "--port" }, says: { en: "port to listen on; 0 picks a free one", ru: "порт" } },
    ],
    checks: ["announces-address"],
  },
  {
    id: "time-line",
    in: "text",
    says: {
      en: "To each one it writes the current time as one line of ISO 8601 text",
      ru: "Каждому он пишет текущее время одной строкой в формате ISO 8601",
    },
    also: [
      {
        in: "text",
        says: {
          en: 'one line of text, ending in "\\n"',
          ru: 'одна строка текста, в конце "\\n"',
        },
      },
      {
        in: { todo: server },
        says: {
          en: "send the current time in ISO 8601, with a UTC offset or Z, plus one '\\\\n'",
          ru: "отправить текущее время в ISO 8601 со смещением от UTC или Z и одним '\\\\n' в конце",
        },
      },
    ],
    checks: ["time-line", "time-zone"],
  },
  {
    id: "no-request",
    in: "text",
    says: {
      en: "connecting IS the request; the client sends nothing",
      ru: "само подключение и есть запрос; клиент ничего не шлёт",
    },
    checks: ["time-line"],
  },
  {
    id: "current-time",
    in: "text",
    says: {
      en: "it writes the current time",
      ru: "пишет текущее время",
    },
    checks: ["time-per-client"],
  },
  {
    id: "offset",
    in: "text",
    says: {
      en: "The offset (`+03:00`, or `Z` for UTC) is part of the answer, not decoration",
      ru: "Смещение (`+03:00` или `Z` для UTC) — часть ответа, а не украшение",
    },
    checks: ["time-line", "time-zone"],
  },
  {
    id: "hangs-up",
    in: "text",
    says: {
      en: "the close tells the client the answer is complete",
      ru: "закрытие говорит клиенту, что ответ закончен",
    },
    also: [{
      in: "text",
      says: {
        en: "such as `2026-11-23T15:55:37.990+03:00`, and hangs up",
        ru: "например `2026-11-23T15:55:37.990+03:00`, и кладёт трубку",
      },
    }],
    checks: ["closes"],
  },
  {
    id: "every-client",
    in: "text",
    says: {
      en: "one listening socket, plus one connected socket per client",
      ru: "один слушающий и по одному подключённому на каждого клиента",
    },
    checks: ["many-clients"],
  },
  {
    id: "logs-clients",
    in: "text",
    says: { en: "[server] Client 127.0.0.1:36716 connected", ru: "[server] Client 127.0.0.1:36716 connected" },
    checks: ["logs-clients"],
  },
  {
    id: "stopped-line",
    in: "text",
    says: { en: "[server] server stopped", ru: "[server] server stopped" },
    checks: [],
    ungraded: {
      en:
        "the starter's given code prints it when the accept loop ends; the grader judges the stop itself (`ctrl-c`), not its words",
      ru:
        "её печатает данный в заготовке код, когда кончается цикл accept; проверка судит саму остановку (`ctrl-c`), а не её слова",
    },
  },
  {
    id: "accept-storm",
    in: "text",
    says: {
      en: "One connection's failure says nothing about the next, so the loop accepts the next one at once.",
      ru: "Ошибка одного соединения ничего не говорит о следующем, поэтому цикл сразу принимает следующее.",
    },
    checks: [],
    ungraded: {
      en:
        "the accept loop is given code, the same in starter and reference; tests/servers_test.ts proves it on the reference with a storm of 3,000 resets (a few log lines, no pause)",
      ru:
        "цикл accept дан в заготовке и одинаков в ней и в эталоне; tests/servers_test.ts доказывает это на эталоне бурей из 3000 сбросов (несколько строк лога, без пауз)",
    },
  },
  {
    id: "log-never-waits",
    in: "text",
    says: { en: "So `log` never waits.", ru: "Поэтому `log` никогда не ждёт." },
    checks: [],
    ungraded: {
      en:
        "`log` is the course's shared launcher code, not the learner's; tests/servers_test.ts proves it on the reference time server with a stdout nobody reads (6,000 clients served, every line written or counted)",
      ru:
        "`log` — общий код запускающей программы курса, а не ученика; tests/servers_test.ts доказывает это на эталонном сервере времени, чей stdout никто не читает (6000 клиентов обслужены, каждая строка записана или посчитана)",
    },
  },
  {
    id: "one-bad-client",
    in: "text",
    says: {
      en: "One bad client must cost one connection, not the server.",
      ru: "Плохой клиент должен стоить одного соединения, а не всего сервера.",
    },
    also: [{
      in: { todo: server },
      says: {
        en: "A client that has gone must not crash the server",
        ru: "Клиент, который уже ушёл, не должен обрушить сервер",
      },
    }],
    checks: ["survives-reset", "survives-junk", "unix-socket"],
  },
  {
    id: "ctrl-c",
    in: "text",
    says: {
      en: "only the closed listener (Ctrl+C) ends it",
      ru: "закончить его может только закрытый слушатель (Ctrl+C)",
    },
    also: [{
      in: "contract",
      says: { en: "Ctrl+C stops a server cleanly.", ru: "Ctrl+C аккуратно останавливает сервер." },
    }],
    checks: ["ctrl-c"],
  },
  {
    id: "port-in-use",
    in: "text",
    says: {
      en: "a second server still gets a clean error, which the grader checks",
      ru: "второй всё равно получит понятную ошибку, и это входит в проверку",
    },
    also: [{
      in: "contract",
      says: {
        en: "Errors (port in use, connection refused) are one line on stderr and a non-zero exit code",
        ru: "Ошибки (порт занят, в соединении отказано) — это одна строка в stderr и ненулевой код возврата",
      },
    }],
    checks: ["port-in-use"],
  },
  {
    id: "listen-where-told",
    in: { todo: server },
    says: {
      en:
        "listen on options.host:options.port with options.backlog (or on the Unix socket options.unix when it is set)",
      ru: "слушать options.host:options.port с options.backlog (или Unix-сокет options.unix, если он задан)",
    },
    checks: ["ipv6", "unix-socket", "backlog"],
  },
  {
    id: "ipv6",
    in: "text",
    says: {
      en: "Give it an IPv6 address and the family follows.",
      ru: "Дайте ему IPv6-адрес, и семейство сменится само.",
    },
    also: [{ in: { help: "server", flag: "--host" }, says: { en: "(::1 for IPv6)", ru: "(::1 для IPv6)" } }],
    checks: ["ipv6"],
  },
  {
    id: "unix",
    in: "text",
    says: {
      en: "$ deno task lesson-1 server --unix /tmp/deno-course-01.sock listening on unix:/tmp/deno-course-01.sock",
      ru: "$ deno task lesson-1 server --unix /tmp/deno-course-01.sock listening on unix:/tmp/deno-course-01.sock",
    },
    also: [{
      in: { help: "server", flag: "--unix" },
      says: { en: "listen on this Unix socket path instead", ru: "слушать вместо этого Unix-сокет" },
    }],
    checks: ["unix-socket"],
  },
  {
    id: "unix-in-use",
    in: "text",
    says: {
      en:
        "a live server's socket is not yours to take: a second server on a path in use must stop with a one-line error, as on a taken port, and leave the first one serving",
      ru:
        "сокет живого сервера забирать нельзя: второй сервер на занятом пути должен остановиться с ошибкой в одну строку, как на занятом порту, а первый — продолжать работу",
    },
    checks: ["unix-socket"],
  },
  {
    id: "unix-not-socket",
    in: "text",
    says: {
      en:
        "a server given a path where a file or a directory stands must stop with a one-line error and leave it as it was",
      ru:
        "сервер, которому дали путь, где стоит файл или каталог, должен остановиться с ошибкой в одну строку и оставить их как были",
    },
    checks: ["unix-not-socket"],
  },
  {
    id: "backlog",
    in: "text",
    says: {
      en: "`listen(n)`, in Deno `tcpBacklog`, sets how long that queue may grow",
      ru: "`listen(n)`, в Deno — `tcpBacklog`, задаёт, насколько длинной она может стать",
    },
    also: [{
      in: { help: "server", flag: "--backlog" },
      says: { en: "connections that may wait for accept (listen(n))", ru: "сколько соединений может ждать accept" },
    }],
    checks: ["backlog"],
  },
  {
    id: "accept-at-once",
    in: { todo: server },
    says: {
      en: "without waiting for it to finish, so the next client is accepted at once",
      ru: "не дожидаясь, пока он закончит, чтобы следующий клиент был принят сразу",
    },
    checks: [],
    ungraded: {
      en:
        "serving a client here never waits on the client (the line fits any socket buffer), so a server that awaits serveOne cannot be told apart from outside; lessons 2 and 3 grade it, where a client can take long",
      ru:
        "обслуживание клиента здесь никогда не ждёт клиента (строка помещается в любой буфер сокета), поэтому сервер, ожидающий serveOne, снаружи не отличить; это проверяют уроки 2 и 3, где клиент может занять много времени",
    },
  },
  {
    id: "write-all",
    in: { todo: server },
    says: {
      en: "all of it, though write() may take only part (a line this short never is cut, but the loop is the habit)",
      ru: "целиком, хотя write() может взять только часть (строку такой длины он не режет, но цикл — это привычка)",
    },
    checks: [],
    ungraded: {
      en:
        "a write of some thirty bytes is never cut short, so a single write() cannot be told from a loop; lesson 2 grades the loop with lines that are",
      ru:
        "запись трёх десятков байт никогда не обрезается, так что один write() не отличить от цикла; цикл проверяет урок 2, где строки обрезаются",
    },
  },
  {
    id: "client-prints",
    in: "text",
    says: {
      en: "connects, reads everything until the server hangs up, and prints it",
      ru: "подключается, читает всё, пока сервер не закроет соединение, и печатает прочитанное",
    },
    also: [
      {
        in: "text",
        says: { en: "So read until `read` returns `null`", ru: "Значит, читаем, пока `read` не вернёт `null`" },
      },
      {
        in: { todo: client },
        says: {
          en:
            "read from conn until the server closes it (read() gives null), not just once: the line may come in pieces",
          ru:
            "читать из conn, пока сервер не закроет соединение (read() вернёт null), а не один раз: строка может прийти по частям",
        },
      },
    ],
    checks: ["client-reads-all", "client-whole-answer"],
  },
  {
    id: "client-utf8",
    in: "text",
    says: {
      en: "stream mode keeps a character cut in half between two reads",
      ru: "в потоковом режиме символ, разрезанный между двумя чтениями, не теряется",
    },
    checks: ["client-whole-answer"],
  },
  {
    id: "client-deadline",
    in: "text",
    says: {
      en:
        "A server that never closes would keep this loop waiting forever, so after `timeoutMs` give up with an error.",
      ru:
        "Сервер, который никогда не закрывает соединение, заставил бы этот цикл ждать вечно, поэтому через `timeoutMs` сдавайтесь с ошибкой.",
    },
    also: [
      {
        in: { todo: client },
        says: {
          en: "give up after timeoutMs if the server never closes it",
          ru: "если сервер так и не закроет соединение, через timeoutMs сдаться с ошибкой",
        },
      },
      { in: { help: "client", flag: "--timeout" }, says: { en: "give up after this many ms", ru: "мс" } },
    ],
    checks: ["client-timeout"],
  },
  {
    id: "client-closes",
    in: { todo: client },
    says: { en: "Close conn when done", ru: "Закончив, закрыть conn" },
    checks: [],
    ungraded: {
      en:
        "the launcher ends the program as soon as runClient returns, and with it every socket and timer, so a client that forgets cannot be told apart from outside",
      ru:
        "запускалка завершает программу, как только runClient вернулся, а с ней и все сокеты и таймеры, так что забывчивого клиента снаружи не отличить",
    },
  },
  {
    id: "client-connects",
    in: { todo: client },
    says: {
      en: "connect to options.host:options.port (or to the Unix socket options.unix when it is set)",
      ru: "подключиться к options.host:options.port (или к Unix-сокету options.unix, если он задан)",
    },
    also: [
      { in: { help: "client", flag: "--port" }, says: { en: "the server's port", ru: "порт сервера" } },
    ],
    checks: ["client-reads-all"],
  },
  {
    id: "client-ipv6",
    in: "text",
    says: {
      en: "$ deno task lesson-1 client --host ::1",
      ru: "$ deno task lesson-1 client --host ::1",
    },
    also: [{ in: { help: "client", flag: "--host" }, says: { en: "the server's host", ru: "хост сервера" } }],
    checks: ["client-ipv6"],
  },
  {
    id: "client-escapes",
    in: "text",
    says: {
      en: "every control character except the line break and the tab is shown as an escape such as `\\x1b`",
      ru: "каждый управляющий символ, кроме перевода строки и табуляции, показан экранированным, например `\\x1b`",
    },
    checks: ["client-escapes-control"],
  },
  {
    id: "client-unix",
    in: "text",
    says: {
      en: "$ deno task lesson-1 client --unix /tmp/deno-course-01.sock",
      ru: "$ deno task lesson-1 client --unix /tmp/deno-course-01.sock",
    },
    also: [{
      in: { help: "client", flag: "--unix" },
      says: { en: "connect to this Unix socket path instead", ru: "Unix-сокет" },
    }],
    checks: ["client-unix"],
  },
  {
    id: "client-refused",
    in: "text",
    says: {
      en: "throws `Deno.errors.ConnectionRefused` when nobody listens",
      ru: "бросает `Deno.errors.ConnectionRefused`, если никто не слушает",
    },
    also: [{
      in: "contract",
      says: {
        en: "never a stack trace",
        ru: "никогда не трассировка стека",
      },
    }],
    checks: ["client-refused"],
  },
  {
    id: "trace",
    in: "text",
    says: {
      en: "puts a relay between the demo's client and server and draws what crossed it, a ladder per connection",
      ru:
        "ставит между клиентом и сервером демо ретранслятор и рисует, что через него прошло, лестницей на каждое соединение",
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
