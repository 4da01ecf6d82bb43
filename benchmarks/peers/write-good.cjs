// write-good's JS API over every .txt file of a folder, in one node process (for peers.py).
// Prints the number of suggestions.
const {readdirSync, readFileSync} = require('node:fs')
const {join} = require('node:path')
const writeGood = require('write-good')

const folder = process.argv[2]
let suggestions = 0
for (const name of readdirSync(folder).filter((n) => n.endsWith('.txt')).sort()) {
  suggestions += writeGood(readFileSync(join(folder, name), 'utf8')).length
}
console.log(suggestions)
