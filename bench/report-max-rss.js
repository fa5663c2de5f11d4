// Preloaded into a child process by the benchmarks: reports its peak resident set size on exit.
process.on('exit', () => {
  process.stderr.write(`\nbench-max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
