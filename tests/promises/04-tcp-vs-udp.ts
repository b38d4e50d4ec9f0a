/**
 * Lesson 4's promise table: every promise the lesson text, the starters'
 * TODO goals, the commands' `--help` and the course's program contract make
 * about the learner's echo server, pinger and bulk sender, quoted where it
 * is made, and the checks that prove it (tests/checks/04-tcp-vs-udp/).
 *
 * @module
 */
import type { Promised } from "../harness/promises.ts";

/** The server: TCP echo, the count, UDP echo, serving everyone, stopping. */
const server: Promised[] = [
  {
    id: "tcp-echo",
    in: "text",
    says: {
      en: "over TCP every byte a client sends comes back in order until the client half-closes",
      ru:
        "по TCP каждый байт, присланный клиентом, возвращается к нему в том же порядке, пока клиент не полузакроет соединение",
    },
    checks: ["tcp-echo", "tcp-echo-open"],
  },
  {
    id: "udp-echo",
    in: "text",
    says: {
      en: "over UDP every datagram goes back, unchanged, to whoever sent it",
      ru: "по UDP каждая датаграмма без изменений отправляется обратно тому, кто её прислал",
    },
    checks: ["udp-echo", "udp-peers"],
  },
  {
    id: "count",
    in: "text",
    says: {
      en:
        "A TCP client that opens with the line `COUNT` gets no echo: the server counts its bytes and answers with the number.",
      ru:
        "TCP-клиент, который начинает со строки `COUNT`, эха не получает: сервер считает его байты и отвечает их числом.",
    },
    checks: ["tcp-count"],
  },
  {
    id: "server-busy",
    in: "text",
    says: {
      en:
        "It serves every client at once: one that stalls (stops reading, or stops halfway through its first bytes) holds up no one else, over either transport.",
      ru:
        "Он обслуживает всех клиентов сразу: застрявший клиент (перестал читать или замолчал на середине первых байтов) никого другого не задерживает ни на одном из транспортов.",
    },
    checks: ["server-busy"],
  },
  {
    id: "server-todo-1",
    in: { todo: "server.ts" },
    says: {
      en:
        "echo: read into buffer until read() gives null (the client half-closed), writing back every byte of each read (writeAll: write() may take only part); resolve with how many bytes that was",
      ru:
        "эхо: читать в buffer, пока read() не вернёт null (клиент полузакрыл соединение), отправляя обратно все байты каждого чтения (writeAll: write() может взять только часть); разрешиться числом этих байтов",
    },
    checks: ["tcp-echo", "tcp-echo-open"],
  },
  {
    id: "server-todo-2",
    in: { todo: "server.ts" },
    says: {
      en:
        "send data back, unchanged, to the address it came from (socket.send(data, from)); a failed send is that peer's problem, not the server's: catch it",
      ru:
        "отправить data обратно без изменений на тот адрес, с которого она пришла (socket.send(data, from)); неудачная отправка — проблема этого собеседника, а не сервера: перехватить её ошибку (catch)",
    },
    checks: ["udp-echo", "udp-unanswerable"],
  },
  {
    id: "udp-buffer",
    in: "text",
    says: {
      en: "The server therefore receives into a buffer of 65,507 bytes, the largest UDP payload over IPv4",
      ru: "Поэтому сервер принимает в буфер на 65 507 байтов — это наибольшая полезная нагрузка UDP поверх IPv4",
    },
    checks: ["udp-echo"],
  },
  {
    id: "udp-peers",
    in: "text",
    says: {
      en:
        "An echo that replied to the first peer it ever saw, or to the most recent one, would send three clients' datagrams to one of them; the grader tries twenty peers at once to catch that.",
      ru:
        "Эхо, которое отвечало бы первому собеседнику, которого оно увидело, или самому последнему, отправило бы датаграммы трёх клиентов одному из них; чтобы поймать такую ошибку, проверяющая программа пробует сразу двадцать собеседников.",
    },
    checks: ["udp-peers"],
  },
  {
    id: "opening",
    in: "text",
    says: {
      en:
        "Exactly `COUNT\\n`, and it counts what follows and answers with the number; anything else, and it echoes, the opening bytes included.",
      ru:
        "Ровно `COUNT\\n` — и он считает то, что идёт следом, и отвечает числом; что угодно другое — и он отвечает эхом, включая и эти первые байты.",
    },
    checks: ["tcp-count", "tcp-echo-opening"],
  },
  {
    id: "opening-in-pieces",
    in: "text",
    says: {
      en:
        "Even six bytes may come in more than one read, so the given `readOpening` reads until it has the whole hello, a byte that differs, or EOF.",
      ru:
        "Даже шесть байтов могут прийти за несколько чтений, поэтому готовая `readOpening` читает, пока не получит приветствие целиком, байт, который с ним расходится, или EOF.",
    },
    checks: ["tcp-count"],
  },
  {
    id: "nc-closes",
    in: "text",
    says: {
      en: "Over TCP, `nc -N` half-closes when its input ends; the server echoes the rest and closes.",
      ru:
        "По TCP `nc -N` полузакрывает соединение, когда кончается его ввод; сервер отправляет эхом остаток и закрывает соединение.",
    },
    checks: ["tcp-echo"],
  },
  {
    id: "udp-same-socket",
    in: "text",
    says: {
      en:
        "Both connect their UDP socket to the server, so their kernel hands them only datagrams from 127.0.0.1:41234: an echo sent from another socket, from another port, would never show, so the server answers from the socket that received the datagram.",
      ru:
        "Оба подключают свой UDP-сокет к серверу, так что ядро отдаёт им только датаграммы с 127.0.0.1:41234: эхо, отправленное с другого сокета, с другого порта, они бы так и не увидели, поэтому сервер отвечает с того же сокета, который принял датаграмму.",
    },
    checks: ["udp-echo"],
  },
  {
    id: "nc-count",
    in: "text",
    says: {
      en: "Opened with `COUNT\\n`, the same connection gets the count instead: 3, the bytes of `abc`.",
      ru: "Если начать с `COUNT\\n`, то же соединение вместо эха получит число: 3, байты `abc`.",
    },
    checks: ["tcp-count"],
  },
  {
    id: "server-log",
    in: "text",
    says: {
      en:
        "The server logs each TCP connection as `echoed N bytes` or `counted N bytes`, and each UDP peer's first datagram.",
      ru:
        "Сервер записывает в лог каждое TCP-соединение как `echoed N bytes` или `counted N bytes` и первую датаграмму от каждого UDP-собеседника.",
    },
    checks: ["tcp-echo", "tcp-count", "udp-peers"],
  },
  {
    id: "server-host",
    in: { help: "server", flag: "--host" },
    says: { en: "address to listen on (::1 for IPv6)", ru: "адрес, на котором слушать (::1 для IPv6)" },
    checks: ["ipv6"],
  },
  {
    id: "server-port",
    in: { help: "server", flag: "--port" },
    says: { en: "port for both; 0 picks a free one", ru: "порт для обоих; 0 — любой свободный" },
    checks: ["announces-address", "udp-echo"],
  },
];

/** The pinger. */
const ping: Promised[] = [
  {
    id: "ping-does",
    in: "text",
    says: {
      en:
        "sends numbered probes at a steady pace, matches each echo to its probe by the number inside it, and reports what was lost, doubled or late, and how long the round trips took",
      ru:
        "в ровном темпе отправляет пронумерованные пробы, сопоставляет каждое эхо с его пробой по номеру внутри и сообщает, что потерялось, пришло дважды или опоздало и сколько длился путь туда и обратно",
    },
    checks: ["ping-clean", "ping-order", "ping-late", "ping-tcp"],
  },
  {
    id: "ping-deadline",
    in: "text",
    says: {
      en:
        "A probe's deadline is its send time plus `--timeout`; when that passes with no reply, that probe is lost, and the run goes on.",
      ru:
        "Крайний срок пробы — время её отправки плюс `--timeout`; если он прошёл, а ответа нет, эта проба потеряна, а прогон продолжается.",
    },
    checks: ["ping-loss", "ping-gives-up", "ping-late"],
  },
  {
    id: "ping-run-end",
    in: "text",
    says: {
      en:
        "The run is over when every probe is either answered or lost, at most `--timeout` after the last one was sent.",
      ru:
        "Прогон окончен, когда каждая проба либо получила ответ, либо потеряна, — не позже чем через `--timeout` после отправки последней.",
    },
    checks: ["ping-clean", "ping-gives-up"],
  },
  {
    id: "ping-by-number",
    in: "text",
    says: {
      en: "Replies are matched by number, never by arrival.",
      ru: "Ответы сопоставляются по номеру, а не по порядку прихода.",
    },
    checks: ["ping-order", "ping-tcp"],
  },
  {
    id: "ping-stamp",
    in: "text",
    says: {
      en: "Each probe carries its sequence number in its first 4 bytes (and its send time in the next 8).",
      ru: "Каждая проба несёт свой порядковый номер в первых 4 байтах (и время отправки в следующих 8).",
    },
    checks: ["ping-clean"],
  },
  {
    id: "ping-duplicate",
    in: "text",
    says: {
      en: "A second reply to an answered probe is a duplicate: count it, ignore its time.",
      ru: "Второй ответ на пробу, которая уже получила ответ, — дубликат: посчитайте его, а его время не учитывайте.",
    },
    checks: ["ping-order", "ping-late"],
  },
  {
    id: "ping-out-of-order",
    in: "text",
    says: {
      en: "A reply below the highest number answered so far came out of order, but still counts.",
      ru: "Ответ с номером меньше наибольшего из уже отвеченных пришёл не по порядку, но всё равно засчитывается.",
    },
    checks: ["ping-clean", "ping-order", "ping-late"],
  },
  {
    id: "ping-late",
    in: "text",
    says: {
      en: "A reply after its probe's deadline is late, and the probe stays lost: the pinger has already said so.",
      ru:
        "Ответ, пришедший после крайнего срока своей пробы, опоздал, и проба остаётся потерянной: пингер уже об этом объявил.",
    },
    checks: ["ping-late"],
  },
  {
    id: "ping-loss-share",
    in: "text",
    says: {
      en:
        "2 lost of 8 sent is 25%; dividing by the 6 that were received would say 33.3%, and the grader checks for exactly that mistake.",
      ru:
        "2 потерянные из 8 отправленных — это 25%; если делить на 6 полученных, вышло бы 33,3%, и проверяющая программа ловит именно эту ошибку.",
    },
    checks: ["ping-loss"],
  },
  {
    id: "ping-all-lost",
    in: "text",
    says: {
      en: "3 sent, 0 received, 3 lost (100.0%), 0 duplicates, 0 out of order, 0 late",
      ru: "3 sent, 0 received, 3 lost (100.0%), 0 duplicates, 0 out of order, 0 late",
    },
    checks: ["ping-gives-up"],
  },
  {
    id: "ping-refused",
    in: "text",
    says: {
      en: "error: connection refused by 127.0.0.1:41299: nothing is listening there",
      ru: "error: connection refused by 127.0.0.1:41299: nothing is listening there",
    },
    checks: ["refused"],
  },
  {
    id: "ping-framing",
    in: "text",
    says: {
      en: "That is why the pinger's TCP side needs framing (fixed-size probes) and its UDP side does not.",
      ru: "Поэтому TCP-стороне пингера нужно кадрирование (пробы фиксированного размера), а UDP-стороне — нет.",
    },
    checks: ["ping-tcp"],
  },
  {
    id: "mtu",
    in: "text",
    says: {
      en: "2 sent, 2 received, 0 lost (0.0%), 0 duplicates, 0 out of order, 0 late",
      ru: "2 sent, 2 received, 0 lost (0.0%), 0 duplicates, 0 out of order, 0 late",
    },
    checks: ["ping-loss"],
  },
  {
    id: "ping-reply-line",
    in: { todo: "ping.ts" },
    says: {
      en:
        'Else: mark it answered, push the RTT (now - sentAt) on rtts, count it out of order if its number is below the highest seen, log "seq=N bytes=B time=T ms", and settle()',
      ru:
        'Иначе: пометить её как отвеченную, добавить RTT (now - sentAt) в rtts, посчитать ответ пришедшим не по порядку, если его номер меньше наибольшего из уже виденных, записать в лог "seq=N bytes=B time=T ms" и вызвать settle()',
    },
    checks: ["ping-clean", "ping-order", "ping-late", "ping-tcp"],
  },
  {
    id: "ping-todo-2",
    in: { todo: "ping.ts" },
    says: {
      en:
        'Skip probes no longer "waiting"; stop at the first whose sentAt + options.timeoutMs is still ahead of performance.now(); mark the others "lost", log "seq=N timeout (no reply within T ms)" and settle(), so a lost datagram never holds the run up',
      ru:
        'Пропускать пробы, которые уже не "waiting"; остановиться на первой, чей срок sentAt + options.timeoutMs ещё впереди (больше performance.now()); те, что были до неё, пометить "lost", записать в лог "seq=N timeout (no reply within T ms)" и вызвать settle(), чтобы потерянная датаграмма никогда не задерживала прогон',
    },
    checks: ["ping-loss", "ping-gives-up", "ping-late"],
  },
  {
    id: "ping-todo-3",
    in: { todo: "ping.ts" },
    says: {
      en:
        "the summary: sent, received, lost and lossPercent (a share of the probes SENT), lostSeqs (the numbers of the lost probes, in order), the duplicates/outOfOrder/late counts, rtt: spread(rtts), and connectMs for TCP",
      ru:
        "собрать итог: sent, received, lost и lossPercent (доля от ОТПРАВЛЕННЫХ проб), lostSeqs (номера потерянных проб по порядку), счётчики duplicates/outOfOrder/late, rtt: spread(rtts) и connectMs для TCP",
    },
    checks: ["ping-loss", "ping-late", "compare-json"],
  },
  {
    id: "ping-host",
    in: { help: "ping", flag: "--host" },
    says: { en: "the echo server's address (127.0.0.1 or ::1)", ru: "адрес эхо-сервера (127.0.0.1 или ::1)" },
    checks: ["ipv6"],
  },
  {
    id: "ping-port",
    in: { help: "ping", flag: "--port" },
    says: { en: "the echo server's port", ru: "порт эхо-сервера" },
    checks: ["ping-clean"],
  },
  {
    id: "ping-udp",
    in: { help: "ping", flag: "--udp" },
    says: { en: "use UDP", ru: "использовать UDP" },
    checks: ["ping-clean"],
  },
  {
    id: "ping-tcp",
    in: { help: "ping", flag: "--tcp" },
    says: { en: "use TCP", ru: "использовать TCP" },
    checks: ["ping-tcp", "refused"],
  },
  {
    id: "ping-count",
    in: { help: "ping", flag: "--count" },
    says: { en: "probes to send", ru: "сколько проб отправить" },
    checks: ["ping-clean"],
  },
  {
    id: "ping-interval",
    in: { help: "ping", flag: "--interval" },
    says: { en: "ms between probes", ru: "мс между пробами" },
    checks: ["ping-clean"],
  },
  {
    id: "ping-timeout",
    in: { help: "ping", flag: "--timeout" },
    says: { en: "ms to wait for each reply", ru: "сколько мс ждать каждого ответа" },
    checks: ["ping-late", "ping-gives-up"],
  },
  {
    id: "ping-size",
    in: { help: "ping", flag: "--size" },
    says: { en: "bytes per probe (12 or more)", ru: "байт в пробе (не меньше 12)" },
    checks: ["ping-clean", "ping-order", "ping-tcp"],
  },
  {
    id: "clean-loopback",
    in: "text",
    says: {
      en: "On clean loopback nothing is lost at the pinger's gentle pace, over either transport",
      ru: "На чистом loopback при спокойном темпе пингера ничего не теряется ни по одному из транспортов",
    },
    checks: [],
    ungraded: {
      en:
        "what loopback does on a quiet machine, not a duty of your code: on a busy one a reply may miss compare's 500 ms deadline, so the grader's own echoes decide what is lost",
      ru:
        "так ведёт себя loopback на спокойной машине, а не обязанность вашего кода: на загруженной ответ может не успеть к сроку compare в 500 мс, поэтому что потеряно, решает эхо проверки",
    },
  },
  {
    id: "tcp-impair-refused",
    in: "text",
    says: {
      en: "`ping --tcp --impair …` is refused with `--impair works on UDP; TCP hides loss from you`",
      ru: "`ping --tcp --impair …` отклоняется с сообщением `--impair работает с UDP; TCP прячет от вас потери`",
    },
    checks: [],
    ungraded: {
      en:
        "main.ts, given whole, refuses it before your pinger runs; the course's contract tests check its usage errors",
      ru:
        "это отклоняет готовый main.ts ещё до запуска вашего пингера; его ошибки в аргументах проверяют тесты контракта курса",
    },
  },
  {
    id: "ping-impair",
    in: { help: "ping", flag: "--impair" },
    says: { en: "send UDP through a relay that impairs it", ru: "пустить UDP через портящий ретранслятор" },
    checks: [],
    ungraded: {
      en:
        "given: main.ts puts the given relay.ts in front of your pinger, which only meets a worse network; the grader's own echoes impair exactly what a check needs instead, the same on every run",
      ru:
        "дано: main.ts ставит готовый relay.ts перед вашим пингером, который видит лишь сеть похуже; эхо проверки вместо этого портит ровно то, что нужно проверке, одинаково при каждом запуске",
    },
  },
];

/** The bulk sender. */
const bulk: Promised[] = [
  {
    id: "bulk-does",
    in: "text",
    says: {
      en:
        "sends many bytes as fast as it can and measures how fast they arrive: over TCP one way, ending with the server's count of what it got; over UDP there and back, counting the echoes.",
      ru:
        "отправляет много байтов так быстро, как только может, и измеряет, с какой скоростью они доходят: по TCP в одну сторону, и в конце сервер сообщает, сколько получил; по UDP туда и обратно, подсчётом эха.",
    },
    checks: ["bulk-tcp", "bulk-tcp-bad-answer", "bulk-udp"],
  },
  {
    id: "bulk-half-close",
    in: "text",
    says: {
      en: "The server counts until `read()` gives null, which happens only when the client sends its FIN",
      ru: "Сервер считает, пока `read()` не вернёт null, а это случится, только когда клиент пошлёт свой FIN",
    },
    checks: ["bulk-tcp-answer"],
  },
  {
    id: "bulk-read-to-end",
    in: "text",
    says: {
      en: "Read until `read()` gives null, since the server closes after answering, and only then parse.",
      ru: "Читайте, пока `read()` не вернёт null, — сервер закрывает соединение, ответив, — и только потом разбирайте.",
    },
    checks: ["bulk-tcp-answer"],
  },
  {
    id: "bulk-clock",
    in: "text",
    says: { en: "The clock stops at that answer.", ru: "Часы останавливаются на этом ответе." },
    checks: ["bulk-tcp-answer"],
  },
  {
    id: "bulk-todo-1",
    in: { todo: "bulk.ts" },
    says: {
      en:
        "Then read its answer until read() gives null (even a short line may come in more than one read; keep at most 64 bytes) and resolve with it as text, trimmed",
      ru:
        "Затем читать его ответ, пока read() не вернёт null (даже короткая строка может прийти за несколько чтений; хранить не больше 64 байтов), и разрешиться им как текстом без пробелов по краям (trim)",
    },
    checks: ["bulk-tcp-answer", "bulk-tcp-bad-answer"],
  },
  {
    id: "bulk-todo-2",
    in: { todo: "bulk.ts" },
    says: {
      en:
        "Count each number once (seen[seq]), ignore numbers >= count, count it reordered if below the highest seen so far",
      ru:
        "Считать каждый номер один раз (seen[seq]), номера >= count пропускать, считать эхо пришедшим не по порядку, если его номер меньше наибольшего из уже виденных",
    },
    checks: ["bulk-udp"],
  },
  {
    id: "bulk-udp-clock",
    in: { todo: "bulk.ts" },
    says: { en: "and note lastArrival = performance.now()", ru: "и запомнить lastArrival = performance.now()" },
    checks: ["bulk-udp"],
  },
  {
    id: "bulk-host",
    in: { help: "bulk", flag: "--host" },
    says: { en: "the echo server's address (127.0.0.1 or ::1)", ru: "адрес эхо-сервера (127.0.0.1 или ::1)" },
    checks: ["ipv6"],
  },
  {
    id: "bulk-port",
    in: { help: "bulk", flag: "--port" },
    says: { en: "the echo server's port", ru: "порт эхо-сервера" },
    checks: ["bulk-udp"],
  },
  {
    id: "bulk-udp",
    in: { help: "bulk", flag: "--udp" },
    says: { en: "use UDP", ru: "использовать UDP" },
    checks: ["bulk-udp"],
  },
  {
    id: "bulk-tcp",
    in: { help: "bulk", flag: "--tcp" },
    says: { en: "use TCP", ru: "использовать TCP" },
    checks: ["bulk-tcp", "bulk-tcp-answer"],
  },
  {
    id: "bulk-bytes",
    in: { help: "bulk", flag: "--bytes" },
    says: { en: "bytes to send", ru: "сколько байт отправить" },
    checks: ["bulk-tcp-answer", "bulk-udp"],
  },
  {
    id: "bulk-size",
    in: { help: "bulk", flag: "--size" },
    says: {
      en: "bytes per write (TCP, default 65536) or per datagram (UDP, default 1200)",
      ru: "байт на запись (TCP, по умолчанию 65536) или на датаграмму (UDP, по умолчанию 1200)",
    },
    checks: ["bulk-udp"],
  },
];

/** What compare prints about the learner's programs, the given commands, and the course's program contract. */
const rest: Promised[] = [
  {
    id: "compare",
    in: "text",
    says: {
      en: "every row of the table, measured on your code; `--json` for the raw figures",
      ru: "все строки таблицы, измеренные на вашем коде; `--json` для сырых чисел",
    },
    checks: ["compare-json"],
  },
  {
    id: "compare-flags",
    in: { help: "compare" },
    says: {
      en: "measure every row of the TCP/UDP table on this machine",
      ru: "измерить каждую строку таблицы TCP/UDP на этой машине",
    },
    checks: [],
    ungraded: {
      en:
        "compare.ts is given whole, and so are its flags; what it prints about your server, pinger and bulk sender is graded by compare-json",
      ru:
        "compare.ts дан целиком, как и его флаги; то, что он печатает о ваших сервере, пингере и bulk-отправителе, проверяет compare-json",
    },
  },
  {
    id: "relay-flags",
    in: { help: "relay" },
    says: {
      en: "a UDP relay that drops, duplicates, reorders and delays, deterministically",
      ru: "UDP-ретранслятор, который детерминированно выбрасывает, дублирует, переставляет и задерживает датаграммы",
    },
    checks: [],
    ungraded: {
      en:
        "relay.ts is given whole, with its flags; it is a tool for trying your programs, and the grader's own echoes impair exactly what each check needs instead",
      ru:
        "relay.ts дан целиком, с его флагами; это инструмент, чтобы испытывать ваши программы, а эхо проверки вместо него портит ровно то, что нужно каждой проверке",
    },
  },
  {
    id: "listening",
    in: "contract",
    says: {
      en: "A server's first line on stdout is `listening on HOST:PORT` with the real port",
      ru: "Первая строка сервера в stdout — `listening on HOST:PORT` с настоящим портом",
    },
    checks: ["announces-address"],
  },
  {
    id: "port-0",
    in: "contract",
    says: { en: "`--port 0` takes any free port.", ru: "с `--port 0` сервер занимает любой свободный порт." },
    checks: ["announces-address"],
  },
  {
    id: "errors",
    in: "contract",
    says: {
      en:
        "Errors (port in use, connection refused) are one line on stderr and a non-zero exit code, never a stack trace.",
      ru:
        "Ошибки (порт занят, в соединении отказано) — это одна строка в stderr и ненулевой код возврата, никогда не трассировка стека.",
    },
    checks: ["port-in-use", "refused", "bulk-tcp-bad-answer"],
  },
  {
    id: "ctrl-c",
    in: "contract",
    says: { en: "Ctrl+C stops a server cleanly.", ru: "Ctrl+C аккуратно останавливает сервер." },
    checks: ["ctrl-c"],
  },
  {
    id: "trace",
    in: "text",
    says: {
      en: "draws such a conversation instead of measuring",
      ru: "вместо измерений рисует такой разговор",
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

/** Lesson 4's promise table. */
export const promises: Promised[] = [...server, ...ping, ...bulk, ...rest];
