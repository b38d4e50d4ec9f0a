/**
 * Lesson 4 launcher: `server`, `ping`, `bulk`, `boundaries`, `relay`,
 * `compare`, and with no command the comparison twice, on clean loopback and
 * through an impairing relay; with `--trace`, a short ping over each
 * transport drawn as ladders instead. The same file stands in lessons/ and
 * solutions/; you write server.ts, ping.ts and bulk.ts.
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
  runProgram,
  UsageError,
} from "@course/program.ts";
import { datagramLadder, DatagramRelay, ladder, LADDER_WORDS, Relay } from "@course/trace.ts";
import { runServer } from "./server.ts";
import { MIN_PROBE, runPing } from "./ping.ts";
import { runBulk } from "./bulk.ts";
import { runBoundaries } from "./boundaries.ts";
import { type Impairment, parseImpairment, startRelay } from "./relay.ts";
import { runCompare } from "./compare.ts";
import { MAX_DATAGRAM } from "./server.ts";

/** `--udp` or `--tcp`, exactly one. */
function protocol(v: { udp?: boolean; tcp?: boolean }): "udp" | "tcp" {
  if (v.udp === v.tcp) {
    throw new UsageError(pick({ en: "say which transport: --udp or --tcp", ru: "укажите транспорт: --udp или --tcp" }));
  }
  return v.udp ? "udp" : "tcp";
}

function impairment(text: string | undefined): Impairment | undefined {
  if (text === undefined) return undefined;
  try {
    return parseImpairment(text);
  } catch (error) {
    throw new UsageError(`--impair: ${(error as Error).message}`);
  }
}

const target = {
  host: {
    type: "string" as const,
    default: "127.0.0.1",
    help: { en: "the echo server's address (127.0.0.1 or ::1)", ru: "адрес эхо-сервера (127.0.0.1 или ::1)" },
  },
  port: { type: "string" as const, default: "8000", help: { en: "the echo server's port", ru: "порт эхо-сервера" } },
  udp: { type: "boolean" as const, help: { en: "use UDP", ru: "использовать UDP" } },
  tcp: { type: "boolean" as const, help: { en: "use TCP", ru: "использовать TCP" } },
};
const IMPAIR_HELP = {
  en: "send UDP through a relay that impairs it: loss=P,reorder=P,duplicate=P,delay=MS,jitter=MS,seed=N",
  ru: "пустить UDP через портящий ретранслятор: loss=P,reorder=P,duplicate=P,delay=MS,jitter=MS,seed=N",
};

/** The impairment of the traced UDP ping: in its 8 probes, a probe lost, a reply lost, one held back, one twice. */
const TRACE_IMPAIRMENT = "loss=0.1,reorder=0.05,duplicate=0.05,seed=6";

/**
 * Runs `work` with UDP going through an in-process relay toward `port` when
 * `spec` is given; `work` gets the port to use.
 */
async function maybeRelayed<T>(spec: Impairment | undefined, port: number, work: (port: number) => Promise<T>) {
  if (!spec) return await work(port);
  const stop = new AbortController();
  const relay = startRelay({
    ...spec,
    host: "127.0.0.1",
    port: 0,
    target: { host: "127.0.0.1", port },
    log: labelled("relay", "yellow"),
    signal: stop.signal,
  });
  try {
    return await work(relay.port);
  } finally {
    stop.abort();
    await relay.done;
  }
}

const code = await runProgram({
  name: "deno task lesson-4",
  about: {
    en: "Lesson 4: TCP and UDP, measured side by side on your machine.",
    ru: "Урок 4: TCP и UDP, измеренные бок о бок на вашей машине.",
  },
  commands: {
    server: {
      summary: {
        en: "echo server: TCP (bytes back) and UDP (datagrams back) on the same port",
        ru: "эхо-сервер: TCP (байты обратно) и UDP (датаграммы обратно) на одном порту",
      },
      options: {
        host: {
          type: "string",
          default: "127.0.0.1",
          help: { en: "address to listen on (::1 for IPv6)", ru: "адрес, на котором слушать (::1 для IPv6)" },
        },
        port: {
          type: "string",
          default: "8000",
          help: { en: "port for both; 0 picks a free one", ru: "порт для обоих; 0 — любой свободный" },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run: (v, signal) => runServer({ host: v.host, port: parsePort(v.port), log, signal }),
    },
    ping: {
      summary: {
        en: "send numbered probes, match the echoes, report loss, order and round-trip times",
        ru: "отправить пронумерованные пробы, сопоставить эхо, сообщить о потерях, порядке и времени туда и обратно",
      },
      options: {
        ...target,
        count: { type: "string", default: "10", help: { en: "probes to send", ru: "сколько проб отправить" } },
        interval: { type: "string", default: "200", help: { en: "ms between probes", ru: "мс между пробами" } },
        timeout: {
          type: "string",
          default: "1000",
          help: { en: "ms to wait for each reply", ru: "сколько мс ждать каждого ответа" },
        },
        size: {
          type: "string",
          default: "64",
          help: { en: `bytes per probe (${MIN_PROBE} or more)`, ru: `байт в пробе (не меньше ${MIN_PROBE})` },
        },
        impair: { type: "string", help: IMPAIR_HELP },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      async run(v) {
        const size = parsePositive("size", v.size);
        if (size < MIN_PROBE || size > MAX_DATAGRAM) {
          throw new UsageError(pick({
            en: `--size must be from ${MIN_PROBE} to ${MAX_DATAGRAM}, got ${size}`,
            ru: `--size должен быть от ${MIN_PROBE} до ${MAX_DATAGRAM}, а получено ${size}`,
          }));
        }
        const spec = impairment(v.impair);
        const chosen = protocol(v);
        if (spec && chosen === "tcp") {
          throw new UsageError(pick({
            en: "--impair works on UDP; TCP hides loss from you",
            ru: "--impair работает с UDP; TCP прячет от вас потери",
          }));
        }
        await maybeRelayed(spec, parsePort(v.port), (port) =>
          runPing({
            host: v.host,
            port,
            protocol: chosen,
            count: parsePositive("count", v.count),
            intervalMs: parsePositive("interval", v.interval),
            timeoutMs: parsePositive("timeout", v.timeout),
            size,
            // Printed at once, not gathered: a write gathered for later would
            // land in the middle of a later probe's round trip and lengthen it.
            log: console.log,
          }));
      },
    },
    bulk: {
      summary: {
        en: "send many bytes; count what comes back and how fast",
        ru: "отправить много байт; сосчитать, сколько вернулось и как быстро",
      },
      options: {
        ...target,
        bytes: {
          type: "string",
          default: String(64 * 1024 * 1024),
          help: { en: "bytes to send", ru: "сколько байт отправить" },
        },
        size: {
          type: "string",
          help: {
            en: "bytes per write (TCP, default 65536) or per datagram (UDP, default 1200)",
            ru: "байт на запись (TCP, по умолчанию 65536) или на датаграмму (UDP, по умолчанию 1200)",
          },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      async run(v) {
        const chosen = protocol(v);
        const size = parsePositive("size", v.size ?? (chosen === "tcp" ? "65536" : "1200"));
        if (chosen === "udp" && (size < 4 || size > MAX_DATAGRAM)) {
          throw new UsageError(pick({
            en: `--size for UDP must be from 4 to ${MAX_DATAGRAM}, got ${size}`,
            ru: `--size для UDP должен быть от 4 до ${MAX_DATAGRAM}, а получено ${size}`,
          }));
        }
        await runBulk({
          host: v.host,
          port: parsePort(v.port),
          protocol: chosen,
          bytes: parsePositive("bytes", v.bytes),
          size,
          drainMs: 300,
          log,
        });
      },
    },
    boundaries: {
      summary: {
        en: "three writes over TCP, three datagrams over UDP: count the reads",
        ru: "три записи по TCP, три датаграммы по UDP: сосчитать чтения",
      },
      options: {},
      run: async () => {
        await runBoundaries(log);
      },
    },
    relay: {
      summary: {
        en: "a UDP relay that drops, duplicates, reorders and delays, deterministically",
        ru: "UDP-ретранслятор, который детерминированно выбрасывает, дублирует, переставляет и задерживает датаграммы",
      },
      options: {
        port: {
          type: "string",
          default: "8001",
          help: {
            en: "port the relay listens on; 0 picks one",
            ru: "порт, на котором слушает ретранслятор; 0 — любой свободный",
          },
        },
        to: {
          type: "string",
          default: "8000",
          help: { en: "the UDP echo server's port (on 127.0.0.1)", ru: "порт UDP-эхо-сервера (на 127.0.0.1)" },
        },
        loss: {
          type: "string",
          default: "0.1",
          help: {
            en: "probability of dropping a datagram (0 to 1)",
            ru: "вероятность выбросить датаграмму (от 0 до 1)",
          },
        },
        reorder: {
          type: "string",
          default: "0",
          help: {
            en: "probability of holding one back until the next has passed",
            ru: "вероятность придержать датаграмму, пока не пройдёт следующая",
          },
        },
        duplicate: {
          type: "string",
          default: "0",
          help: { en: "probability of sending one twice", ru: "вероятность отправить датаграмму дважды" },
        },
        delay: {
          type: "string",
          default: "0",
          help: { en: "ms added to every datagram", ru: "сколько мс добавить к задержке каждой датаграммы" },
        },
        jitter: {
          type: "string",
          default: "0",
          help: { en: "up to this many ms more or less, at random", ru: "случайно до стольких мс больше или меньше" },
        },
        seed: {
          type: "string",
          default: "1",
          help: {
            en: "the same seed and traffic give the same fate",
            ru: "при том же seed и том же трафике судьба датаграмм та же",
          },
        },
      },
      address: (v) => hostPort("127.0.0.1", Number(v.port)),
      async run(v, signal) {
        const spec = impairment(
          `loss=${v.loss},reorder=${v.reorder},duplicate=${v.duplicate},delay=${v.delay},jitter=${v.jitter},seed=${v.seed}`,
        )!;
        const relay = startRelay({
          ...spec,
          host: "127.0.0.1",
          port: parsePort(v.port),
          target: { host: "127.0.0.1", port: parsePort(v.to) },
          log,
          signal,
        });
        log(`listening on 127.0.0.1:${relay.port} (udp), relaying to 127.0.0.1:${v.to}`);
        await relay.done;
      },
    },
    compare: {
      summary: {
        en: "measure every row of the TCP/UDP table on this machine",
        ru: "измерить каждую строку таблицы TCP/UDP на этой машине",
      },
      options: {
        json: { type: "boolean", help: { en: "print the figures as JSON", ru: "напечатать цифры в виде JSON" } },
        impair: { type: "string", help: IMPAIR_HELP },
      },
      run: async (v) => {
        await runCompare({ impair: impairment(v.impair), json: v.json ?? false, log });
      },
    },
  },
  traces: true,
  async demo(_signal, trace = false) {
    if (trace) return await traced();
    await runCompare({ json: false, log: labelled("compare", "cyan") });
    log("");
    await runCompare({
      impair: parseImpairment("loss=0.05,reorder=0.05,duplicate=0.02,seed=7"),
      json: false,
      log: labelled("compare", "cyan"),
    });
  },
}, Deno.args);
Deno.exit(code);

/**
 * `--trace`: the measurements send thousands of probes and megabytes, too much
 * to draw, so the traced demo is a short conversation of each kind: 3 probes
 * over TCP through a recording relay, then 8 over UDP through the impairing
 * relay, with a recorder on each side of it, so a datagram that went into it
 * and never came out is seen lost where it was lost.
 */
async function traced(): Promise<void> {
  const stop = new AbortController();
  const listening = Promise.withResolvers<number>();
  const serverLog = labelled("server", "magenta");
  const server = runServer({
    host: "127.0.0.1",
    port: 0,
    signal: stop.signal,
    log(line) {
      serverLog(line);
      const port = line.match(/^listening on 127\.0\.0\.1:(\d+)/)?.[1];
      if (port) listening.resolve(Number(port));
    },
  });
  const words = LADDER_WORDS[learnerLanguage()];
  const draw = labelled("trace", "yellow");
  // A probe starts with its number (4 bytes, big-endian); over TCP one read may carry several.
  const probes = (bytes: Uint8Array) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const seqs = [];
    for (let at = 0; at + 64 <= bytes.length; at += 64) seqs.push(view.getUint32(at));
    return seqs.length > 0 && bytes.length % 64 === 0 ? `seq=${seqs.join(",")}` : undefined;
  };
  try {
    const port = await Promise.race([
      listening.promise,
      server.then(() => Promise.reject(new Error("server stopped"))),
    ]);
    const ping = { host: "127.0.0.1", intervalMs: 30, timeoutMs: 300, size: 64, log: labelled("ping", "cyan") };
    const tcp = Relay.start({ hostname: "127.0.0.1", port });
    try {
      await runPing({ ...ping, port: tcp.port, protocol: "tcp", count: 3 });
    } finally {
      await tcp.close();
    }
    for (const line of ladder(tcp.events, words, 40, probes)) draw(line);
    log("");
    // client -> near recorder -> impairing relay -> far recorder -> server
    const origin = performance.now();
    const far = DatagramRelay.start({ hostname: "127.0.0.1", port }, origin);
    const impairStop = new AbortController();
    const impairing = startRelay({
      ...parseImpairment(TRACE_IMPAIRMENT),
      host: "127.0.0.1",
      port: 0,
      target: { host: "127.0.0.1", port: far.port },
      log: labelled("relay", "yellow"),
      signal: impairStop.signal,
    });
    const near = DatagramRelay.start({ hostname: "127.0.0.1", port: impairing.port }, origin);
    try {
      await runPing({ ...ping, port: near.port, protocol: "udp", count: 8 });
    } finally {
      await near.close();
      impairStop.abort();
      await impairing.done;
      await far.close();
    }
    for (const line of datagramLadder(near.events, far.events, words, probes)) draw(line);
  } finally {
    stop.abort();
    await server;
  }
}
