/**
 * Lesson 5 launcher: `dns-server`, `http-server`, `fetch`, and with no
 * command the course material's example, live and offline: both servers on
 * free ports and `fetch http://site.loc/` through them; with `--trace`,
 * through recording relays, its DNS question and answer and its HTTP
 * connection drawn as ladders. The same file stands in lessons/ and
 * solutions/; you write fetch.ts.
 *
 * @module
 */
import {
  hostPort,
  labelled,
  learnerLanguage,
  log,
  parsePort,
  parsePositive,
  pick,
  ProgramError,
  runProgram,
  UsageError,
} from "@course/program.ts";
import { datagramLadder, DatagramRelay, ladder, LADDER_WORDS, Relay } from "@course/trace.ts";
import { defaultZone, parseQuery, parseZone, runDnsServer, TYPE, type Zone } from "./dns.ts";
import { MAX_CONNECTIONS, REQUEST_TIMEOUT_MS, runHttpServer } from "./http.ts";
import { runFetch } from "./fetch.ts";

/** `HOST:PORT` for --dns. */
function nameServer(text: string): { ipAddr: string; port: number } {
  const match = text.match(/^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/);
  if (!match) {
    throw new UsageError(pick({
      en: `--dns must be ADDRESS:PORT (e.g. 127.0.0.1:1053), got '${text}'`,
      ru: `--dns должен быть АДРЕС:ПОРТ (например, 127.0.0.1:1053), а получено '${text}'`,
    }));
  }
  return { ipAddr: match[1] ?? match[2], port: parsePort(match[3]) };
}

/**
 * The zone from --zone FILE, `-` for stdin, or the default one. The lesson's
 * task grants no file access (a DNS server has no business reading the disk):
 * at a terminal Deno asks before reading FILE; elsewhere, `--zone - < FILE`
 * hands the zone over on stdin, which needs no permission.
 */
async function zoneFrom(path: string | undefined): Promise<Zone> {
  if (path === undefined) return defaultZone();
  let text: string;
  try {
    text = path === "-" ? await new Response(Deno.stdin.readable).text() : await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ProgramError(`--zone ${path}: no permission to read it; give the zone on stdin: --zone - < ${path}`);
    }
    throw new ProgramError(`--zone ${path}: ${(error as Error).message}`);
  }
  try {
    return parseZone(text);
  } catch (error) {
    throw new ProgramError(`--zone ${path}: ${(error as Error).message}`);
  }
}

/**
 * A DNS message in a few words, for the trace: a query as `A? site.loc`, a
 * response as its first address (`site.loc A 127.0.0.1`) or its code
 * (`site.loc AAAA: NXDOMAIN`). Undefined for what is not DNS.
 */
function dnsMessage(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const response = (view.getUint16(2) & 0x8000) !== 0;
  let question;
  try {
    // parseQuery takes queries only: read a response's question from a copy with QR cleared.
    const copy = bytes.slice();
    copy[2] &= 0x7f;
    question = parseQuery(copy).question;
  } catch {
    return undefined;
  }
  const type = question.type === TYPE.A ? "A" : question.type === TYPE.AAAA ? "AAAA" : `type ${question.type}`;
  if (!response) return `${type}? ${question.name}`;
  const codes = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];
  const rcode = view.getUint16(2) & 0xf;
  // The first answer record: a name (a pointer, or labels), type, class, TTL, length, then the address.
  let at = question.end;
  if (view.getUint16(6) > 0 && at < bytes.length) {
    if (bytes[at] >= 0xc0) at += 2;
    else {
      while (at < bytes.length && bytes[at] !== 0) at += bytes[at] + 1;
      at++;
    }
    const length = at + 10 <= bytes.length ? view.getUint16(at + 8) : 0;
    const data = bytes.subarray(at + 10, at + 10 + length);
    if (length === 4 && data.length === 4) return `${question.name} A ${data.join(".")}`;
    if (length === 16 && data.length === 16) {
      const groups = Array.from({ length: 8 }, (_, i) => ((data[2 * i] << 8) | data[2 * i + 1]).toString(16));
      return `${question.name} AAAA ${groups.join(":")}`;
    }
  }
  return `${question.name} ${type}: ${codes[rcode] ?? `rcode ${rcode}`}`;
}

const code = await runProgram({
  name: "deno task lesson-5",
  about: {
    en: "Lesson 5: resolve a name with DNS, then speak HTTP/1.1 by hand.",
    ru: "Урок 5: разрешить имя через DNS, а затем говорить по HTTP/1.1 вручную.",
  },
  commands: {
    "dns-server": {
      summary: {
        en: "answer A and AAAA questions over UDP and TCP from a small zone (default: site.loc)",
        ru: "отвечать на вопросы A и AAAA по UDP и TCP из маленькой зоны (по умолчанию: site.loc)",
      },
      options: {
        host: {
          type: "string",
          default: "127.0.0.1",
          help: { en: "address to listen on", ru: "адрес, на котором слушать" },
        },
        port: {
          type: "string",
          default: "1053",
          help: {
            en: "UDP and TCP port (not 5353: that is mDNS's); 0 picks a free one",
            ru: "порт UDP и TCP (не 5353: он занят mDNS); 0 — любой свободный",
          },
        },
        zone: {
          type: "string",
          help: {
            en: "a zone file (- for stdin): NAME A|AAAA ADDRESS, one a line; the first name is the zone's top",
            ru: "файл зоны (- — stdin): NAME A|AAAA ADDRESS, по одной записи на строку; первое имя — вершина зоны",
          },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run: async (v, signal) =>
        runDnsServer({ host: v.host, port: parsePort(v.port), zone: await zoneFrom(v.zone), log, signal }),
    },
    "http-server": {
      summary: {
        en: "serve /, /posts, /chunked, /until-close over HTTP/1.1, written on Deno.listen",
        ru: "отдавать /, /posts, /chunked, /until-close по HTTP/1.1; сервер написан на Deno.listen",
      },
      options: {
        host: {
          type: "string",
          default: "127.0.0.1",
          help: { en: "address to listen on", ru: "адрес, на котором слушать" },
        },
        port: {
          type: "string",
          default: "8080",
          help: { en: "TCP port; 0 picks a free one", ru: "TCP-порт; 0 — любой свободный" },
        },
        timeout: {
          type: "string",
          default: String(REQUEST_TIMEOUT_MS),
          help: {
            en: "ms a client has to send a whole request, or to start the next one; then 408 and close",
            ru: "сколько мс у клиента на весь запрос или на начало следующего; потом 408 и закрытие",
          },
        },
        "max-connections": {
          type: "string",
          default: String(MAX_CONNECTIONS),
          help: {
            en: "clients served at once; the next one gets 503",
            ru: "сколько клиентов обслуживать одновременно; следующий получит 503",
          },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run: (v, signal) =>
        runHttpServer({
          host: v.host,
          port: parsePort(v.port),
          timeoutMs: parsePositive("timeout", v.timeout),
          maxConnections: parsePositive("max-connections", v["max-connections"]),
          log,
          signal,
        }),
    },
    fetch: {
      summary: {
        en: "fetch an http:// URL: DNS, connect, request, response, redirects",
        ru: "загрузить http:// URL: DNS, подключение, запрос, ответ, перенаправления",
      },
      options: {
        url: {
          type: "string",
          help: {
            en: "the URL, also taken without the flag, as curl takes it: fetch http://site.loc:8080/",
            ru: "URL; можно и без флага, как у curl: fetch http://site.loc:8080/",
          },
        },
        dns: {
          type: "string",
          help: {
            en: "the DNS server to ask, ADDRESS:PORT (default: the system's)",
            ru: "какой DNS-сервер спрашивать, ADDRESS:PORT (по умолчанию системный)",
          },
        },
        "max-redirects": {
          type: "string",
          default: "5",
          help: { en: "redirects to follow", ru: "сколько перенаправлений выполнять, не больше" },
        },
        data: {
          type: "string",
          help: { en: "send this as the body of a POST", ru: "отправить это как тело POST-запроса" },
        },
        verbose: {
          type: "boolean",
          short: "v",
          help: {
            en: "show the exchange: > request, < response, * notes",
            ru: "показать обмен: > запрос, < ответ, * заметки",
          },
        },
        timeout: {
          type: "string",
          default: "5000",
          help: { en: "ms for each step (DNS, connect, response)", ru: "мс на каждый шаг (DNS, подключение, ответ)" },
        },
      },
      argument: "url",
      address: (v) => v.url ?? "",
      async run(v) {
        if (!v.url) {
          throw new UsageError(pick({
            en: "say which URL: fetch http://site.loc:8080/",
            ru: "укажите URL: fetch http://site.loc:8080/",
          }));
        }
        try {
          await runFetch({
            url: v.url,
            dns: v.dns === undefined ? undefined : nameServer(v.dns),
            maxRedirects: Number(v["max-redirects"]),
            data: v.data,
            verbose: v.verbose ?? false,
            timeoutMs: parsePositive("timeout", v.timeout),
            log,
          });
        } catch (error) {
          // Without --dns Deno asks the system's resolver, which is not on loopback: this task may not reach it.
          const resolver = error instanceof Deno.errors.NotCapable && v.dns === undefined
            ? error.message.match(/net access to "([^"]+)"/)?.[1]
            : undefined;
          if (!resolver) throw error;
          throw new ProgramError(pick({
            en:
              `without --dns, fetch asks the system's resolver (${resolver}), which is not on loopback, and this lesson's task may reach loopback only: give --dns ADDRESS:PORT of a DNS server here (deno task lesson-5 dns-server)`,
            ru:
              `без --dns fetch спрашивает системный резолвер (${resolver}), а он не на loopback, и задача урока может обращаться только к loopback: укажите --dns АДРЕС:ПОРТ DNS-сервера на этой машине (deno task lesson-5 dns-server)`,
          }));
        }
      },
    },
  },
  // The demo: the material's example, offline. DNS and HTTP on free ports; site.loc is 127.0.0.1.
  // With --trace, fetch asks DNS and speaks HTTP through relays that record, drawn afterwards.
  traces: true,
  async demo(signal, trace = false) {
    const stop = new AbortController();
    signal.addEventListener("abort", () => stop.abort(), { once: true });
    const ports = [Promise.withResolvers<number>(), Promise.withResolvers<number>()];
    const listening = (i: number, print: (line: string) => void) => (line: string) => {
      print(line);
      const port = line.match(/^listening on .*:(\d+)$/)?.[1];
      if (port) ports[i].resolve(Number(port));
    };
    const dns = runDnsServer({
      host: "127.0.0.1",
      port: 0,
      zone: defaultZone(),
      log: listening(0, labelled("dns", "yellow")),
      signal: stop.signal,
    });
    const http = runHttpServer({
      host: "127.0.0.1",
      port: 0,
      log: listening(1, labelled("http", "magenta")),
      signal: stop.signal,
    });
    try {
      const [dnsPort, httpPort] = await Promise.all(ports.map((p) => p.promise));
      const dnsRelay = trace ? DatagramRelay.start({ hostname: "127.0.0.1", port: dnsPort }) : undefined;
      const httpRelay = trace ? Relay.start({ hostname: "127.0.0.1", port: httpPort }) : undefined;
      try {
        await runFetch({
          url: `http://site.loc:${httpRelay?.port ?? httpPort}/`,
          dns: { ipAddr: "127.0.0.1", port: dnsRelay?.port ?? dnsPort },
          maxRedirects: 5,
          verbose: true,
          timeoutMs: 5000,
          log: labelled("fetch", "cyan"),
        });
      } finally {
        await dnsRelay?.close();
        await httpRelay?.close();
      }
      if (dnsRelay && httpRelay) {
        const words = LADDER_WORDS[learnerLanguage()];
        const draw = labelled("trace", "yellow");
        for (const line of datagramLadder(dnsRelay.events, undefined, words, dnsMessage, 40)) draw(line);
        for (const line of ladder(httpRelay.events, words)) draw(line);
      }
    } finally {
      stop.abort();
      await Promise.all([dns, http]);
    }
  },
}, Deno.args);
Deno.exit(code);
