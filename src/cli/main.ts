#!/usr/bin/env node
// Placeholder entry so the package builds; the real command router lands in the next commit.
process.stdout.write('kubeplan: commands are being wired up\n');
