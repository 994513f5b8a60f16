// @ts-check
/**
 * Keeps the process being measured and the load generator off each other's cores: with two or
 * more CPUs and `taskset` present, servers run on the last CPU and the benchmark process (its
 * load generator and OTLP sinks) on the others. On a 2-core machine left unpinned, autocannon, the
 * sinks and the server migrate between both cores and a server's CPU per request moves with
 * whatever shares its core.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * @typedef {object} CpuPlacement
 * @property {string} server CPU list (taskset -c syntax) for the measured servers
 * @property {string} load CPU list for this process (load generator and sinks)
 * @property {(pid: number) => void} pinServer pins every thread of a server process
 * @property {() => void} release gives this process back the CPUs it had
 */

/** @returns {CpuPlacement | undefined} undefined (and nothing pinned) on one CPU or without taskset */
export function placeServerApartFromLoad() {
  const cpus = os.availableParallelism();
  if (cpus < 2 || spawnSync('taskset', ['-V']).status !== 0) return undefined;
  const original = /current affinity list:\s*(\S+)/.exec(execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' }))?.[1];
  if (!original) return undefined;
  const server = String(cpus - 1);
  const load = cpus === 2 ? '0' : `0-${cpus - 2}`;
  const pin = (/** @type {string} */ list, /** @type {number} */ pid) => execFileSync('taskset', ['-a', '-pc', list, String(pid)], { stdio: 'ignore' });
  pin(load, process.pid);
  return {
    server,
    load,
    pinServer: (pid) => pin(server, pid),
    release: () => pin(original, process.pid),
  };
}
