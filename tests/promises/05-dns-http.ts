/**
 * Lesson 5's promise table: every promise of the lesson text (README.md,
 * README.ru.md), of the TODO goals in fetch.ts, of each command's `--help` and
 * of the program contract that a check can observe, quoted where it is made,
 * with the checks that prove it. The given servers' promises are proved by
 * checks of given code (the starters pass them).
 *
 * @module
 */
import type { Promised } from "../harness/promises.ts";

export const promises: Promised[] = [
  // What you build and how to run it.
  {
    id: "dns-then-connect",
    in: "text",
    says: {
      en: "Your `fetch` asks a DNS server of your choosing for the address, connects, writes the request byte by byte",
      ru:
        "Ваш `fetch` спрашивает адрес у DNS-сервера, который вы выберете, подключается, записывает запрос байт за байтом",
    },
    checks: ["asks-dns"],
  },
  {
    id: "reuses-open-connection",
    in: "text",
    says: {
      en: "sends the next request on the same connection when the server keeps it open",
      ru: "отправляет следующий запрос по тому же соединению, если сервер держит его открытым",
    },
    checks: ["keep-alive"],
  },
  {
    id: "given-routes",
    in: "text",
    says: {
      en:
        "The HTTP server answers `GET /` with a 302 to `/posts`, `GET /posts` with a page, `POST /posts` by adding a post, `/chunked` in three chunks, `/until-close` with no length at all, and anything else with 404.",
      ru:
        "HTTP-сервер отвечает на `GET /` кодом 302 с перенаправлением на `/posts`, на `GET /posts` — страницей, на `POST /posts` — добавляет пост, `/chunked` отдаёт тремя кусками, `/until-close` — вообще без длины, а на всё остальное отвечает 404.",
    },
    checks: ["http-server"],
  },
  {
    id: "given-serve-others",
    in: "text",
    says: {
      en:
        "Both servers keep serving others while one client misbehaves (stays silent, or sends what they cannot parse)",
      ru:
        "Оба сервера продолжают обслуживать других, пока один клиент ведёт себя плохо (молчит или присылает то, что они не могут разобрать)",
    },
    checks: ["http-server", "dns-server", "dns-tcp"],
  },
  {
    id: "given-ctrl-c",
    in: "text",
    says: { en: "Ctrl+C stops either cleanly", ru: "Ctrl+C останавливает любой из них чисто" },
    checks: ["ctrl-c", "dns-ctrl-c"],
  },
  {
    id: "zone-file",
    in: "text",
    says: {
      en:
        "A zone file has one record a line, `NAME A|AAAA ADDRESS`; `#` starts a comment; the first name is the zone's top, and every other name is under it.",
      ru:
        "В файле зоны по одной записи на строку, `NAME A|AAAA ADDRESS`; `#` начинает комментарий; первое имя — вершина зоны, а все остальные имена лежат под ним.",
    },
    checks: ["dns-zone"],
  },
  {
    id: "zone-stdin",
    in: "text",
    says: {
      en: "So hand the zone over on stdin, which needs no permission: `dns-server --zone - < my.zone`.",
      ru: "Поэтому передайте зону через stdin, для этого разрешение не нужно: `dns-server --zone - < my.zone`.",
    },
    checks: ["dns-zone"],
  },
  {
    id: "zone-no-permission",
    in: "text",
    says: {
      en: "elsewhere it is one line of error that says so.",
      ru: "в остальных случаях будет одна строка ошибки, которая об этом скажет.",
    },
    checks: ["dns-zone"],
  },
  {
    id: "system-resolver",
    in: "text",
    says: {
      en:
        "Without `--dns`, `fetch` asks the system's resolver, which is not on loopback here: the lesson's task may not reach it, and `fetch` says so in one line",
      ru:
        "Без `--dns` `fetch` спрашивает системный резолвер, а он здесь не на loopback: задача урока до него не дотягивается, и `fetch` говорит об этом одной строкой",
    },
    checks: [],
    ungraded: {
      en:
        "the grader keeps to loopback and cannot point the machine's resolver at its own DNS server (nor may fetch reach the system resolver's address under the lesson's permissions)",
      ru:
        "проверяющая программа не выходит за loopback и не может направить системный резолвер машины на свой DNS-сервер (да и адрес системного резолвера fetch с разрешениями урока недоступен)",
    },
  },
  {
    id: "max-redirects-default",
    in: "text",
    says: { en: "`--max-redirects` is 5 by default", ru: "По умолчанию `--max-redirects` равен 5" },
    checks: ["relative-location"],
  },
  {
    id: "timeout-each-step",
    in: "text",
    says: {
      en: "`--timeout` (5000 ms) applies to each step on its own: the DNS answer, the connection, the response.",
      ru: "`--timeout` равен 5000 мс и действует на каждый шаг по отдельности: ответ DNS, подключение, ответ сервера.",
    },
    checks: ["timeout-per-step", "dns-timeout", "dns-deadline", "response-timeout"],
  },
  {
    id: "error-wording",
    in: "text",
    says: {
      en:
        "The grader reads that there is one line on stderr and exit code 1, and, where this text says so, the name or the address the line must mention.",
      ru:
        "Проверяющая программа смотрит на то, что в stderr одна строка, а код выхода 1, и, где этот текст так говорит, на имя или адрес, которые строка должна назвать.",
    },
    checks: ["conflicting-framing", "short-body", "response-timeout", "line-limit", "huge-header", "redirect-loop"],
  },
  // A name first: DNS.
  {
    id: "ip-literal",
    in: "text",
    says: {
      en: "`resolve` passes an IP literal (`127.0.0.1`, `[::1]`) through",
      ru: "`resolve` пропускает IP-литерал (`127.0.0.1`, `[::1]`) как есть",
    },
    checks: ["ip-literal"],
  },
  {
    id: "a-then-aaaa",
    in: "text",
    says: {
      en: "tries A then AAAA",
      ru: "пробует A, затем AAAA",
    },
    checks: ["a-then-aaaa"],
  },
  {
    id: "nxdomain-names-name",
    in: "text",
    says: {
      en: "turns `NotFound` and a timeout into one clear error each: the first names the name",
      ru: "превращает `NotFound` и таймаут каждый в свою понятную ошибку: в первой названо имя",
    },
    checks: ["nxdomain", "dns-timeout"],
  },
  {
    id: "timeout-names-server",
    in: "text",
    says: {
      en: "the second the DNS server that did not answer, as `ADDRESS:PORT`",
      ru: "во второй — DNS-сервер, который не ответил, в виде `ADDRESS:PORT`",
    },
    checks: ["dns-timeout", "dns-deadline"],
  },
  {
    id: "resolver-gives-up",
    in: "text",
    says: {
      en:
        "so a server silent for 2 s ends in `Deno.errors.TimedOut` however long `--timeout` is, and an answer later than a second is lost. That is a timeout too: the same error, naming the server.",
      ru:
        "поэтому сервер, молчащий 2 с, даёт `Deno.errors.TimedOut`, как бы ни был велик `--timeout`, а ответ, пришедший позже секунды, теряется. Это тоже таймаут: та же ошибка, с адресом сервера.",
    },
    checks: ["dns-deadline"],
  },
  {
    id: "dns-other-errors",
    in: "text",
    says: {
      en: "Catch it too, as one line that names the DNS server",
      ru: "Ловите и её и превращайте в одну строку, где назван DNS-сервер",
    },
    also: [{
      in: { todo: "fetch.ts" },
      says: {
        en: "A timeout: a FetchError that names the DNS server (where); any other error too",
        ru: "Таймаут: FetchError, где назван DNS-сервер (where); любая другая ошибка тоже",
      },
    }],
    checks: ["dns-broken"],
  },
  {
    id: "aaaa-after-notfound",
    in: "text",
    says: {
      en: "A name that has only an AAAA record gets `NotFound` for A too, so ask AAAA before you give up.",
      ru:
        "Имя, у которого есть только запись AAAA, на вопрос A тоже получает `NotFound`, поэтому спросите AAAA, прежде чем сдаваться.",
    },
    checks: ["a-then-aaaa"],
  },
  {
    id: "given-dns-answer",
    in: "text",
    says: {
      en: "The answer to `site.loc A` is 42 bytes",
      ru: "Ответ на `site.loc A` занимает 42 байта",
    },
    checks: ["dns-server"],
  },
  {
    id: "given-refused",
    in: "text",
    says: {
      en: "a name outside its zone (`nope.loc`, `example.com`) gets REFUSED, RCODE 5, as it has no say there.",
      ru:
        "на имя вне своей зоны (`nope.loc`, `example.com`) он отвечает REFUSED, RCODE 5, ведь там он ничего не решает.",
    },
    checks: ["dns-negative", "dns-zone"],
  },
  {
    id: "dns-port",
    in: "text",
    says: {
      en:
        "Here the port is 1053, as ports below 1024 need privileges; not 5353, which looks like the obvious choice but belongs to multicast DNS (RFC 6762)",
      ru:
        "Здесь порт 1053, потому что для портов ниже 1024 нужны привилегии; не 5353, хотя он и напрашивается: это порт multicast DNS (RFC 6762)",
    },
    checks: [],
    ungraded: {
      en:
        "a fixed port may be taken on the machine that grades, so every check starts the server on a free port (--port 0)",
      ru:
        "фиксированный порт может быть занят на машине, где идёт проверка, поэтому каждая проверка запускает сервер на свободном порту (--port 0)",
    },
  },
  {
    id: "given-nxdomain",
    in: "text",
    says: {
      en:
        'For a name under `site.loc` that it does not know, the server sends back the header and the question with RCODE 3, NXDOMAIN ("no such domain"), and one record in the authority section: the zone\'s SOA',
      ru:
        "На имя внутри `site.loc`, которого сервер не знает, он возвращает заголовок и вопрос с RCODE 3, NXDOMAIN («нет такого домена»), и одну запись в разделе authority: SOA зоны",
    },
    checks: ["dns-negative"],
  },
  {
    id: "given-nodata",
    in: "text",
    says: {
      en: "A name that exists but has no record of the type asked gets the same SOA with RCODE 0.",
      ru: "Имя, которое есть, но без записи спрошенного типа, получает ту же SOA с RCODE 0.",
    },
    checks: ["dns-negative"],
  },
  {
    id: "given-drops-responses",
    in: "text",
    says: {
      en: "A message that is not a query gets no answer at all. A response (QR=1) is dropped",
      ru: "Сообщение, которое не является запросом, не получает никакого ответа. Ответ (QR=1) отбрасывается",
    },
    checks: ["dns-not-a-query"],
  },
  {
    id: "given-drops-self",
    in: "text",
    says: {
      en: "a datagram that claims to come from the server's own address and port is dropped",
      ru: "отбрасывается датаграмма, которая будто бы пришла с собственного адреса и порта сервера",
    },
    checks: [],
    ungraded: {
      en:
        "on loopback no program can send a datagram from the server's own port without raw sockets, which need root; tests/dns_server_test.ts hands such a datagram to the given server's receive loop instead",
      ru:
        "на loopback никакая программа не пошлёт датаграмму с собственного порта сервера без raw-сокетов, а им нужен root; вместо этого tests/dns_server_test.ts передаёт такую датаграмму прямо в цикл приёма готового сервера",
    },
  },
  {
    id: "given-notimp-formerr",
    in: "text",
    says: {
      en: "An opcode the server does not implement gets NOTIMP (RCODE 4), a query it cannot parse FORMERR (RCODE 1).",
      ru:
        "На opcode, которого сервер не реализует, он отвечает NOTIMP (RCODE 4), на запрос, который не может разобрать, — FORMERR (RCODE 1).",
    },
    checks: ["dns-not-a-query"],
  },
  {
    id: "given-log-escapes",
    in: "text",
    says: {
      en: "The server logs each byte that is not a visible character escaped, as `\\x1b`.",
      ru: "Каждый байт, который не является видимым символом, сервер пишет в журнал экранированным, как `\\x1b`.",
    },
    checks: ["dns-log-escapes"],
  },
  {
    id: "given-tcp",
    in: "text",
    says: {
      en: "DNS runs over TCP as well, on the same port, and a server must answer there too",
      ru: "DNS работает и поверх TCP, на том же порту, и сервер обязан отвечать и там",
    },
    checks: ["dns-tcp"],
  },
  {
    id: "given-truncated",
    in: "text",
    says: {
      en:
        "A UDP answer holds at most 512 bytes; a longer one comes back without its records and with the TC (truncated) flag, and the client asks again over TCP.",
      ru:
        "Ответ по UDP вмещает не больше 512 байтов; более длинный приходит без записей и с флагом TC (truncated, усечён), и клиент спрашивает снова, по TCP.",
    },
    checks: ["dns-zone"],
  },
  {
    id: "given-tcp-framing",
    in: "text",
    says: {
      en: "each message goes after two bytes that give its length, and one connection can carry several queries",
      ru:
        "каждое сообщение идёт после двух байтов с его длиной, и по одному соединению можно задать несколько вопросов",
    },
    checks: ["dns-tcp"],
  },
  {
    id: "given-tcp-limits",
    in: "text",
    says: {
      en: "closes a TCP client that stays idle for 10 s, and serves 100 of them at most at once",
      ru: "закрывает TCP-клиента, который молчит 10 с, и обслуживает не больше 100 таких клиентов одновременно",
    },
    checks: [],
    ungraded: {
      en:
        "limits of given code the learner does not write; proving them would cost every grading a 10-second wait and 101 connections",
      ru:
        "это пределы готового кода, который учащийся не пишет; их проверка стоила бы каждому запуску 10 секунд ожидания и 101 соединение",
    },
  },
  // An HTTP message, byte by byte.
  {
    id: "request-shape",
    in: "text",
    says: {
      en:
        "A request is a request line (method, target, version), header lines of the form `Name: value`, an empty line, and the body, if there is one. Every line ends in CR LF, the two bytes `\\r\\n`",
      ru:
        "Запрос состоит из строки запроса (метод, цель запроса, версия), строк заголовков вида `Name: value`, пустой строки и тела, если оно есть. Каждая строка кончается на CR LF — два байта `\\r\\n`",
    },
    checks: ["request-format"],
  },
  {
    id: "header-case",
    in: "text",
    says: {
      en: "Header names ignore case: our server sends `content-length`, curl sends `User-Agent`.",
      ru: "Регистр в именах заголовков не важен: наш сервер отправляет `content-length`, а curl — `User-Agent`.",
    },
    checks: ["header-case"],
  },
  {
    id: "given-host-required",
    in: "text",
    says: {
      en: "our server answers a request without it with `400 Bad Request` and `HTTP/1.1 requests must say Host`",
      ru: "на запрос без него наш сервер отвечает `400 Bad Request` и `HTTP/1.1 requests must say Host`",
    },
    checks: ["http-server"],
  },
  {
    id: "host-with-port",
    in: "text",
    says: {
      en: "Send `url.host`, not `url.hostname`: the first keeps the port",
      ru: "Отправляйте `url.host`, а не `url.hostname`: первый сохраняет порт",
    },
    checks: ["request-format", "redirects", "ip-literal"],
  },
  {
    id: "get-no-body",
    in: "text",
    says: { en: "GET asks for a resource. It carries no body", ru: "GET запрашивает ресурс. Тела у него нет" },
    checks: ["request-format"],
  },
  {
    id: "post-data",
    in: "text",
    says: {
      en: "`fetch --data hello` adds `Content-Type` and `Content-Length: 5`",
      ru: "`fetch --data hello` добавляет `Content-Type` и `Content-Length: 5`",
    },
    checks: ["post"],
  },
  {
    id: "empty-post",
    in: "text",
    says: {
      en: "An empty `--data ''` is still a POST, with `Content-Length: 0`: a POST always says how long its body is.",
      ru: "Пустой `--data ''` — тоже POST, с `Content-Length: 0`: POST всегда говорит, какой длины его тело.",
    },
    checks: ["post"],
  },
  {
    id: "given-two-posts",
    in: "text",
    says: {
      en: "the server stores a post and answers `201 Created`. Send it twice and there are two posts.",
      ru: "сервер сохраняет пост и отвечает `201 Created`. Отправьте его дважды — и постов станет два.",
    },
    checks: ["http-server"],
  },
  // Status codes and redirects.
  {
    id: "status-exit",
    in: "text",
    says: {
      en: "Your `fetch` prints the final body whatever its code, then exits 1 with one line unless the code was 2xx.",
      ru:
        "Ваш `fetch` печатает тело последнего ответа, каким бы ни был код, а затем, если код не из класса 2xx, завершается с кодом 1 и одной строкой об ошибке.",
    },
    checks: ["status-codes", "post", "no-body-statuses"],
  },
  {
    id: "body-only",
    in: "text",
    says: {
      en: "Without `-v` it prints the body and nothing else.",
      ru: "Без `-v` он печатает тело и больше ничего.",
    },
    checks: ["asks-dns"],
  },
  {
    id: "redirect-301-302",
    in: "text",
    says: {
      en: "same method, but a POST becomes a GET without the body, as clients have long done",
      ru: "тот же метод, но POST становится GET без тела, как издавна делают клиенты",
    },
    checks: ["redirect-to-get"],
  },
  {
    id: "redirect-303",
    in: "text",
    says: { en: "a GET without the body; only a HEAD stays a HEAD", ru: "GET без тела; только HEAD остаётся HEAD" },
    checks: ["redirect-to-get"],
  },
  {
    id: "redirect-307-308",
    in: "text",
    says: { en: "same method, same body", ru: "тот же метод, то же тело" },
    checks: ["redirect-keeps-post"],
  },
  {
    id: "relative-location",
    in: "text",
    says: {
      en: "Resolve it against the URL you asked, as a browser does, with `new URL(location, base)`.",
      ru:
        "Вычисляйте полный адрес относительно URL, который вы запрашивали, как это делает браузер: `new URL(location, base)`.",
    },
    checks: ["relative-location", "redirects"],
  },
  {
    id: "new-host",
    in: "text",
    says: {
      en: "A new host means a new DNS question and, if the address or port differs, a new connection",
      ru: "Новый хост — это новый вопрос к DNS, а если отличается адрес или порт, то и новое соединение",
    },
    checks: ["redirects", "same-address-reuse"],
  },
  {
    id: "same-address-reuse",
    in: "text",
    says: {
      en: "at the same address and port the open connection serves the new name too",
      ru: "при том же адресе и порте открытое соединение служит и новому имени",
    },
    checks: ["same-address-reuse"],
  },
  {
    id: "redirect-loop",
    in: "text",
    says: {
      en: "at a URL it has already visited, without asking for it again",
      ru: "на URL, где он уже побывал, не запрашивая его снова",
    },
    checks: ["redirect-loop"],
  },
  {
    id: "max-redirects",
    in: "text",
    says: {
      en: "and after `--max-redirects` hops. With `--max-redirects 0`, the 302 from `/` is already one too many",
      ru:
        "и после `--max-redirects` переходов. С `--max-redirects 0` уже 302 от `/` — на один переход больше, чем можно",
    },
    checks: ["max-redirects"],
  },
  // Where does the body end?
  {
    id: "no-body-head",
    in: "text",
    says: { en: "No body at all: the answer to a HEAD", ru: "Тела нет вовсе: у ответа на HEAD" },
    checks: [],
    ungraded: {
      en: "fetch sends only GET and POST (with --data), so no answer to a HEAD ever reaches it",
      ru: "fetch отправляет только GET и POST (с --data), так что ответ на HEAD до него не доходит",
    },
  },
  {
    id: "no-body-statuses",
    in: "text",
    says: {
      en: "any 1xx, 204 No Content and 304 Not Modified, whatever the headers say",
      ru: "у любого 1xx, у 204 No Content и 304 Not Modified, что бы ни говорили заголовки",
    },
    checks: ["no-body-statuses"],
  },
  {
    id: "until-close",
    in: "text",
    says: {
      en: "Neither: the body runs until the server closes the connection.",
      ru: "Ни того ни другого: тело продолжается, пока сервер не закроет соединение.",
    },
    checks: ["until-close"],
  },
  {
    id: "content-length-exact",
    in: "text",
    says: {
      en:
        "Read until you hold N bytes (TODO 4), and treat an early end of the stream as an error. The grader sends a body 7 bytes at a time to check exactly this.",
      ru:
        "Читайте, пока у вас не наберётся N байтов (TODO 4), а преждевременный конец потока считайте ошибкой. Проверяющая программа отправляет тело по 7 байтов за раз, чтобы проверить именно это.",
    },
    checks: ["dribbled-body", "short-body"],
  },
  {
    id: "chunked",
    in: "text",
    says: {
      en:
        "Each chunk is its size in hexadecimal, CRLF, the bytes, CRLF; a chunk of size 0 ends the body, and optional trailer headers and an empty line follow it.",
      ru:
        "Каждый кусок — это его размер в шестнадцатеричной записи, CRLF, сами байты, CRLF; кусок размера 0 завершает тело, а за ним идут необязательные заголовки-трейлеры (trailer) и пустая строка.",
    },
    checks: ["chunked", "keep-alive"],
  },
  {
    id: "chunk-extensions",
    in: "text",
    says: {
      en: "A size may carry `;name=value` extensions after it, which you skip.",
      ru: "После размера могут стоять расширения `;name=value`, их вы пропускаете.",
    },
    checks: ["chunked", "keep-alive"],
  },
  {
    id: "until-close-used-up",
    in: "text",
    says: {
      en: "It costs twice: the connection cannot be used again",
      ru: "Платить за это приходится дважды: соединение больше нельзя использовать",
    },
    checks: ["until-close-reconnects"],
  },
  {
    id: "both-framings-refused",
    in: "text",
    says: {
      en: "Two framings mean two readings: refuse.",
      ru: "Два способа кадрирования — два прочтения, поэтому отказ.",
    },
    checks: ["conflicting-framing"],
  },
  {
    id: "line-bound",
    in: "text",
    says: {
      en: "So a line may be at most 8 KiB (8,192 bytes, its CRLF not counted)",
      ru: "Поэтому строка может занимать не больше 8 КиБ (8 192 байта, не считая её CRLF)",
    },
    checks: ["line-limit", "huge-header"],
  },
  {
    id: "head-bound",
    in: "text",
    says: {
      en: "the whole head 64 KiB (65,536 bytes from the status line to the empty line, CRLFs included)",
      ru: "вся заголовочная часть — 64 КиБ (65 536 байтов от строки состояния до пустой строки, вместе с CRLF)",
    },
    checks: ["head-limit"],
  },
  {
    id: "body-bound",
    in: "text",
    says: {
      en: "a body 16 MiB (16,777,216 bytes, however it is framed); past a bound, `fetch` stops with an error.",
      ru:
        "а тело — 16 МиБ (16 777 216 байтов, как бы оно ни было кадрировано); при выходе за предел `fetch` останавливается с ошибкой.",
    },
    checks: ["body-limit"],
  },
  // One connection, many requests.
  {
    id: "http10-closes",
    in: "text",
    says: {
      en: "HTTP/1.0 closes the connection after each response",
      ru: "HTTP/1.0 закрывает соединение после каждого ответа",
    },
    checks: ["connection-close"],
  },
  {
    id: "connection-close",
    in: "text",
    says: {
      en: "HTTP/1.1 keeps the connection open unless one side says `Connection: close`.",
      ru: "HTTP/1.1 держит соединение открытым, если только одна из сторон не скажет `Connection: close`.",
    },
    checks: ["keep-alive", "connection-close"],
  },
  {
    id: "sends-keep-alive",
    in: "text",
    says: {
      en: "in 1.1 that is the default, and `fetch` sends it anyway",
      ru: "в 1.1 это поведение по умолчанию, но `fetch` всё равно отправляет этот заголовок",
    },
    checks: ["request-format"],
  },
  {
    id: "given-pipelined",
    in: "text",
    says: {
      en:
        "write two requests at once, `GET /` and then `GET /nothing` with `Connection: close`, and both answers come back on one connection, a 302 and a 404",
      ru:
        "запишите сразу два запроса, `GET /` и затем `GET /nothing` с `Connection: close`, и оба ответа, 302 и 404, вернутся по одному соединению",
    },
    checks: ["http-server"],
  },
  {
    id: "given-http10",
    in: "text",
    says: {
      en: "A request in `HTTP/1.0` gets `connection: close` back at once.",
      ru: "На запрос с `HTTP/1.0` сразу приходит `connection: close`.",
    },
    checks: ["http-server"],
  },
  // The server's side: what a server must refuse.
  {
    id: "interim-skipped",
    in: "text",
    says: {
      en: "`100 Continue` and `103 Early Hints` are interim, and the answer follows them on the same connection",
      ru: "`100 Continue` и `103 Early Hints` промежуточные, и ответ приходит после них по тому же соединению",
    },
    checks: ["interim-responses"],
  },
  {
    id: "given-one-framing",
    in: "text",
    says: {
      en:
        "A request with both `Transfer-Encoding` and `Content-Length` gets 400 and the connection closes: the smuggling above, seen from the server. A `Content-Length` must be digits and one number: `0x5`, `1e1`, `+5` and two different values each get 400",
      ru:
        "Запрос, в котором есть и `Transfer-Encoding`, и `Content-Length`, получает 400, и соединение закрывается: это та же контрабанда, что выше, только со стороны сервера. `Content-Length` должен состоять из цифр и быть одним числом: `0x5`, `1e1`, `+5` и два разных значения получают 400",
    },
    checks: ["http-framing"],
  },
  {
    id: "given-chunked-request",
    in: "text",
    says: { en: "A chunked body is read chunk by chunk", ru: "Тело кусками читается кусок за куском" },
    checks: ["http-framing"],
  },
  {
    id: "given-one-host",
    in: "text",
    says: {
      en: "`Host : x` (a space before the colon) and two `Host` lines get 400",
      ru: "`Host : x` (пробел перед двоеточием) и две строки `Host` получают 400",
    },
    checks: ["http-framing"],
  },
  {
    id: "given-limits",
    in: "text",
    says: {
      en:
        "A head over 8 KiB gets 431 Request Header Fields Too Large, a body over 64 KiB 413 Content Too Large, without reading them.",
      ru:
        "Заголовки больше 8 КиБ получают 431 Request Header Fields Too Large, тело больше 64 КиБ — 413 Content Too Large, и сервер их не читает.",
    },
    checks: ["http-limits"],
  },
  {
    id: "given-expect-continue",
    in: "text",
    says: {
      en:
        "A request that says `Expect: 100-continue` gets `HTTP/1.1 100 Continue` just before the server reads its body; a body it would refuse gets the refusal instead, unsent.",
      ru:
        "Запрос с `Expect: 100-continue` получает `HTTP/1.1 100 Continue` прямо перед тем, как сервер читает его тело; тело, которое сервер отверг бы, получает отказ и так и не посылается.",
    },
    also: [{
      in: "text",
      says: {
        en:
          "Any other expectation gets 417 Expectation Failed. An HTTP/1.0 request's `Expect` is ignored: 100 Continue is HTTP/1.1's",
        ru:
          "Любое другое ожидание получает 417 Expectation Failed. `Expect` в запросе HTTP/1.0 не учитывается: 100 Continue есть только в HTTP/1.1",
      },
    }],
    checks: ["http-framing"],
  },
  {
    id: "given-deadline",
    in: "text",
    says: {
      en:
        "A client that sends half a head and stops gets 408 Request Timeout; one that stays silent is closed without a word.",
      ru:
        "Клиент, приславший половину заголовков и замолчавший, получает 408 Request Timeout; молчащего закрывают без слов.",
    },
    also: [{
      in: { help: "http-server", flag: "--timeout" },
      says: {
        en: "ms a client has to send a whole request, or to start the next one; then 408 and close (default: 10000)",
        ru: "сколько мс у клиента на весь запрос или на начало следующего; потом 408 и закрытие (по умолчанию: 10000)",
      },
    }],
    checks: ["http-timeouts"],
  },
  {
    id: "given-connection-cap",
    in: "text",
    says: {
      en: "At most `--max-connections` (256) clients are served at once; the next gets 503.",
      ru: "Одновременно обслуживается не больше `--max-connections` (256) клиентов; следующий получает 503.",
    },
    also: [{
      in: { help: "http-server", flag: "--max-connections" },
      says: {
        en: "clients served at once; the next one gets 503 (default: 256)",
        ru: "сколько клиентов обслуживать одновременно; следующий получит 503 (по умолчанию: 256)",
      },
    }],
    checks: ["http-connection-cap"],
  },
  {
    id: "given-accepts",
    in: "text",
    says: {
      en:
        "A target in absolute form, `GET http://site.loc/posts HTTP/1.1`, as a client sends it to a proxy (RFC 9112, 3.2.2), is served as `/posts`. A line that ends in a bare LF counts as a line",
      ru:
        "Цель в абсолютной форме, `GET http://site.loc/posts HTTP/1.1`, как клиент отправляет её прокси (RFC 9112, 3.2.2), обслуживается как `/posts`. Строка, которая кончается одним LF, тоже считается строкой",
    },
    checks: ["http-framing"],
  },
  {
    id: "given-log-escaped",
    in: "text",
    says: {
      en:
        "what the server logs from the network it logs with control characters escaped, `\\x1b` for ESC: a request line cannot move the cursor or retitle the operator's terminal",
      ru:
        "то, что приходит из сети, сервер пишет в журнал с управляющими символами в экранированном виде, `\\x1b` вместо ESC: строка запроса не может ни сдвинуть курсор, ни сменить заголовок терминала оператора",
    },
    checks: ["http-limits"],
  },
  {
    id: "given-out-of-descriptors",
    in: "text",
    says: {
      en:
        "Both servers then log the failure once (then a count a second) and wait 100 ms before they try again, instead of spinning",
      ru:
        "Тогда оба сервера пишут в журнал об ошибке один раз (дальше — счётчик раз в секунду) и ждут 100 мс, прежде чем попробовать снова, а не крутятся вхолостую",
    },
    checks: [],
    ungraded: {
      en:
        "given whole (http.ts, dns.ts), and a grader cannot lower a program's limit on open files; the course's suite runs both servers under prlimit with a few dozen descriptors (tests/servers_test.ts)",
      ru:
        "дано готовым (http.ts, dns.ts), а проверка не может понизить программе предел открытых файлов; набор тестов курса запускает оба сервера через prlimit с несколькими десятками дескрипторов (tests/servers_test.ts)",
    },
  },
  {
    id: "reuse-needs-framing",
    in: "text",
    says: {
      en:
        "a client can read the next response from the same stream only if it knows where the last body ended. That is why an until-close body forces a new connection for the next request.",
      ru:
        "клиент может прочитать следующий ответ из того же потока, только если знает, где кончилось предыдущее тело. Поэтому после тела, которое читается до закрытия, для следующего запроса нужно новое соединение.",
    },
    checks: ["keep-alive", "until-close-reconnects"],
  },
  // What the program prints (the demo and the real peers).
  {
    id: "verbose-lines",
    in: "text",
    says: {
      en: "A `*` line is a note, `>` is what `fetch` wrote and `<` is what it read",
      ru: "Строка со `*` — это примечание, `>` — то, что `fetch` записал, а `<` — то, что он прочитал",
    },
    checks: ["verbose"],
  },
  {
    id: "exit-code-1",
    in: "text",
    says: { en: "The last four exit with code 1.", ru: "Последние четыре команды завершаются с кодом 1." },
    checks: ["status-codes", "nxdomain", "refused", "dns-timeout"],
  },
  {
    id: "dns-silence",
    in: "text",
    says: {
      en: "a DNS server that is not there is UDP saying nothing, so only the deadline ends the wait",
      ru:
        "отсутствующий DNS-сервер — это UDP, который не говорит ничего, так что ожидание заканчивает только крайний срок",
    },
    checks: ["dns-timeout"],
  },
  {
    id: "body-before-error",
    in: "text",
    says: {
      en: "The 404's body comes before the error",
      ru: "Тело ответа 404 печатается перед ошибкой",
    },
    checks: ["status-codes"],
  },
  // The TODO goals, where they promise more than the text.
  {
    id: "first-address",
    in: { todo: "fetch.ts" },
    says: {
      en: 'then "AAAA" if no A (NotFound included); return the first address',
      ru: 'затем "AAAA", если записей A нет (в том числе при NotFound); вернуть первый адрес',
    },
    checks: ["a-then-aaaa"],
  },
  {
    id: "request-headers",
    in: { todo: "fetch.ts" },
    says: {
      en: "then Host (url.host: name and port), User-Agent, Accept and Connection: keep-alive",
      ru: "затем Host (url.host: имя и порт), User-Agent, Accept и Connection: keep-alive",
    },
    checks: ["request-format"],
  },
  // Each command's --help.
  {
    id: "help-url",
    in: { help: "fetch", flag: "--url" },
    says: {
      en: "the URL, also taken without the flag, as curl takes it: fetch http://site.loc:8080/",
      ru: "URL; можно и без флага, как у curl: fetch http://site.loc:8080/",
    },
    checks: ["asks-dns", "request-format", "refused"],
  },
  {
    id: "help-dns",
    in: { help: "fetch", flag: "--dns" },
    says: { en: "the DNS server to ask, ADDRESS:PORT", ru: "какой DNS-сервер спрашивать, ADDRESS:PORT" },
    checks: ["asks-dns"],
  },
  {
    id: "help-max-redirects",
    in: { help: "fetch", flag: "--max-redirects" },
    says: {
      en: "redirects to follow (default: 5)",
      ru: "сколько перенаправлений выполнять, не больше (по умолчанию: 5)",
    },
    checks: ["max-redirects", "relative-location"],
  },
  {
    id: "help-data",
    in: { help: "fetch", flag: "--data" },
    says: { en: "send this as the body of a POST", ru: "отправить это как тело POST-запроса" },
    checks: ["post", "redirect-keeps-post"],
  },
  {
    id: "help-verbose",
    in: { help: "fetch", flag: "--verbose" },
    says: {
      en: "show the exchange: > request, < response, * notes",
      ru: "показать обмен: > запрос, < ответ, * заметки",
    },
    checks: ["verbose"],
  },
  {
    id: "help-timeout",
    in: { help: "fetch", flag: "--timeout" },
    says: { en: "ms for each step (DNS, connect, response)", ru: "мс на каждый шаг (DNS, подключение, ответ)" },
    checks: ["dns-timeout", "dns-deadline", "response-timeout", "timeout-per-step"],
  },
  {
    id: "help-dns-server",
    in: { help: "dns-server" },
    says: {
      en: "answer A and AAAA questions over UDP and TCP from a small zone (default: site.loc)",
      ru: "отвечать на вопросы A и AAAA по UDP и TCP из маленькой зоны (по умолчанию: site.loc)",
    },
    checks: ["dns-server", "dns-tcp", "dns-ctrl-c"],
  },
  {
    id: "help-dns-server-zone",
    in: { help: "dns-server", flag: "--zone" },
    says: {
      en: "a zone file (- for stdin): NAME A|AAAA ADDRESS, one a line; the first name is the zone's top",
      ru: "файл зоны (- — stdin): NAME A|AAAA ADDRESS, по одной записи на строку; первое имя — вершина зоны",
    },
    checks: ["dns-zone"],
  },
  {
    id: "help-http-server",
    in: { help: "http-server" },
    says: {
      en: "serve /, /posts, /chunked, /until-close over HTTP/1.1, written on Deno.listen",
      ru: "отдавать /, /posts, /chunked, /until-close по HTTP/1.1; сервер написан на Deno.listen",
    },
    checks: ["http-server", "ctrl-c"],
  },
  // The program contract.
  {
    id: "listening-first",
    in: "contract",
    says: {
      en: "A server's first line on stdout is `listening on HOST:PORT` with the real port",
      ru: "Первая строка сервера в stdout — `listening on HOST:PORT` с настоящим портом",
    },
    checks: ["dns-server", "http-server"],
  },
  {
    id: "one-line-errors",
    in: "contract",
    says: {
      en: "are one line on stderr and a non-zero exit code, never a stack trace",
      ru: "это одна строка в stderr и ненулевой код возврата, никогда не трассировка стека",
    },
    checks: ["refused", "nxdomain", "conflicting-framing", "status-codes"],
  },
  {
    id: "ctrl-c-contract",
    in: "contract",
    says: { en: "Ctrl+C stops a server cleanly.", ru: "Ctrl+C аккуратно останавливает сервер." },
    checks: ["ctrl-c", "dns-ctrl-c"],
  },
  {
    id: "trace",
    in: "text",
    says: {
      en: "runs the same demo with a recording relay in front of each server",
      ru: "запускает то же демо, поставив перед каждым сервером записывающий ретранслятор",
    },
    checks: [],
    ungraded: {
      en:
        "the relays and the ladder are given code (main.ts and lessons/_shared/trace.ts), not the learner's: tests/trace_test.ts proves them",
      ru:
        "ретрансляторы и лестница — выданный код (main.ts и lessons/_shared/trace.ts), а не код ученика: их доказывает tests/trace_test.ts",
    },
  },
];
