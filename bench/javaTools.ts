import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { kafkaToolClasses, kafkaToolCommand } from '../src/internal';

const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const CPU_MARK = '__bench_cpu_seconds';

/**
 * Runs one of Kafka's tools to completion and returns what it printed, and the
 * CPU seconds (user + system) the JVM used when GNU time is there to tell:
 * on a shared machine CPU time says more about cost than wall time does.
 */
export function runJavaTool(
  tool: string,
  args: readonly string[],
  timeoutMs = 600_000,
): Promise<{ stdout: string; stderr: string; cpuSec: number | null }> {
  return runTimed(tool, kafkaToolCommand(tool, args), timeoutMs);
}

const WARM_PERF = path.join(__dirname, 'WarmPerf.java');
const MEASURED_MARK = '=== measured run ===';

/**
 * Runs one of Kafka's tools twice in one JVM (bench/WarmPerf.java): a warm-up
 * run with `warmUpArgs`, then the measured run with `args`, so that Kafka's tool
 * is measured warm, as the lab's Node process is after its own warm-up. Returns
 * what the measured run printed; the CPU seconds are the whole JVM's (both runs).
 */
export async function runWarmJavaTool(
  tool: string,
  warmUpArgs: readonly string[],
  args: readonly string[],
  timeoutMs = 900_000,
): Promise<{ stdout: string; stderr: string; cpuSec: number | null }> {
  const java = kafkaToolCommand(tool, [...warmUpArgs, '--measured-run', ...args]);
  // `java -cp LIBS WarmPerf.java MAIN ...`: the launcher takes the tool's main class as its first argument.
  const mainAt = java.args.indexOf(kafkaToolClasses[tool.replace(/\.sh$/, '')]);
  java.args.splice(mainAt, 0, WARM_PERF);
  const result = await runTimed(tool, java, timeoutMs);
  const mark = result.stdout.indexOf(MEASURED_MARK);
  if (mark < 0) throw new Error(`${tool} (warm) printed no measured run:\n${result.stdout.slice(-2000)}`);
  return { ...result, stdout: result.stdout.slice(mark + MEASURED_MARK.length) };
}

function runTimed(
  tool: string,
  java: { command: string; args: string[] },
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string; cpuSec: number | null }> {
  const command = GNU_TIME ?? java.command;
  const javaArgs = GNU_TIME ? ['-f', `${CPU_MARK} %U %S`, java.command, ...java.args] : java.args;
  return new Promise((resolve, reject) => {
    const child = spawn(command, javaArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(stderr);
      if (code === 0) resolve({ stdout, stderr, cpuSec: cpu ? Number(cpu[1]) + Number(cpu[2]) : null });
      else
        reject(
          new Error(
            `${tool} exited with ${code ?? signal}. stderr:\n${stderr.slice(-2000)}\nstdout:\n${stdout.slice(-2000)}`,
          ),
        );
    });
  });
}

export interface ProducerPerfResult {
  records: number;
  msgsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

/**
 * The summary line of kafka-producer-perf-test, e.g.
 * "384230 records sent, 95131.2 records/sec (20.41 MB/sec), 850.26 ms avg latency, 1412.00 ms max latency, ...".
 */
export function parseProducerPerf(stdout: string): ProducerPerfResult {
  const pattern =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/g;
  const matches = [...stdout.matchAll(pattern)];
  const last = matches.at(-1);
  if (!last) throw new Error(`No summary line in kafka-producer-perf-test output:\n${stdout.slice(-2000)}`);
  return {
    records: Number(last[1]),
    msgsPerSec: Number(last[2]),
    mbPerSec: Number(last[3]),
    avgLatencyMs: Number(last[4]),
    maxLatencyMs: Number(last[5]),
  };
}

export interface ConsumerPerfResult {
  messages: number;
  /** Including the group join, as the helper's figure is. */
  msgsPerSec: number;
  mbPerSec: number;
  rebalanceMs: number;
  /** Excluding the group join. */
  fetchMsgsPerSec: number;
}

/**
 * The CSV of kafka-consumer-perf-test: a header line
 * "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
 * and one line of values.
 */
export function parseConsumerPerf(stdout: string): ConsumerPerfResult {
  const lines = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const headerIndex = lines.findIndex((line) => line.startsWith('start.time'));
  if (headerIndex < 0 || headerIndex + 1 >= lines.length)
    throw new Error(`No CSV in kafka-consumer-perf-test output:\n${stdout.slice(-2000)}`);
  const header = lines[headerIndex].split(',').map((cell) => cell.trim());
  const values = lines[headerIndex + 1].split(',').map((cell) => cell.trim());
  const field = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`kafka-consumer-perf-test printed no "${name}" column: ${lines[headerIndex]}`);
    return Number(values[index]);
  };
  return {
    messages: field('data.consumed.in.nMsg'),
    msgsPerSec: field('nMsg.sec'),
    mbPerSec: field('MB.sec'),
    rebalanceMs: field('rebalance.time.ms'),
    fetchMsgsPerSec: field('fetch.nMsg.sec'),
  };
}
