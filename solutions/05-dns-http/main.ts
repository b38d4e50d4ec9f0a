/**
 * Lesson 5 launcher: `dns-server`, `http-server`, `fetch`, and with no
 * command the course material's example, live and offline: both servers on
 * free ports and `fetch http://site.loc/` through them. The same file stands
 * in lessons/ and solutions/; you write fetch.ts.
 *
 * @module
 */
import { hostPort, labelled, log, parsePort, parsePositive, runProgram, UsageError } from "@course/program.ts";
import { defaultZone, parseZone, runDnsServer, type Zone } from "./dns.ts";
import { MAX_CONNECTIONS, REQUEST_TIMEOUT_MS, runHttpServer } from "./http.ts";
import { runFetch } from "./fetch.ts";

/** `HOST:PORT` for --dns. */
function nameServer(text: string): { ipAddr: string; port: number } {
  const match = text.match(/^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/);
  if (!match) throw new UsageError(`--dns must be ADDRESS:PORT (e.g. 127.0.0.1:5353), got '${text}'`);
  return { ipAddr: match[1] ?? match[2], port: parsePort(match[3]) };
}

/** The zone from --zone FILE, or the default one. */
async function zoneFrom(path: string | undefined): Promise<Zone> {
  if (path === undefined) return defaultZone();
  try {
    return parseZone(await Deno.readTextFile(path));
  } catch (error) {
    throw new UsageError(`--zone ${path}: ${(error as Error).message}`);
  }
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
        en: "answer A and AAAA questions over UDP from a small zone (default: site.loc)",
        ru: "отвечать на вопросы A и AAAA по UDP из маленькой зоны (по умолчанию: site.loc)",
      },
      options: {
        host: {
          type: "string",
          default: "127.0.0.1",
          help: { en: "address to listen on", ru: "адрес, на котором слушать" },
        },
        port: {
          type: "string",
          default: "5353",
          help: { en: "UDP port; 0 picks a free one", ru: "UDP-порт; 0 — любой свободный" },
        },
        zone: {
          type: "string",
          help: {
            en: "a zone file: NAME A|AAAA ADDRESS, one a line",
            ru: "файл зоны: NAME A|AAAA ADDRESS, по одной записи на строку",
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
        if (!v.url) throw new UsageError("say which URL: fetch http://site.loc:8080/");
        await runFetch({
          url: v.url,
          dns: v.dns === undefined ? undefined : nameServer(v.dns),
          maxRedirects: Number(v["max-redirects"]),
          data: v.data,
          verbose: v.verbose ?? false,
          timeoutMs: parsePositive("timeout", v.timeout),
          log,
        });
      },
    },
  },
  // The demo: the material's example, offline. DNS and HTTP on free ports; site.loc is 127.0.0.1.
  async demo(signal) {
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
      await runFetch({
        url: `http://site.loc:${httpPort}/`,
        dns: { ipAddr: "127.0.0.1", port: dnsPort },
        maxRedirects: 5,
        verbose: true,
        timeoutMs: 5000,
        log: labelled("fetch", "cyan"),
      });
    } finally {
      stop.abort();
      await Promise.all([dns, http]);
    }
  },
}, Deno.args);
Deno.exit(code);
