// retext with retext-intensify (hedges, weasels, fillers) over every .txt file of a folder,
// in one node process (for peers.py). Prints the number of messages.
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {retext} from 'retext'
import retextIntensify from 'retext-intensify'

const folder = process.argv[2]
const processor = retext().use(retextIntensify)
let messages = 0
for (const name of readdirSync(folder).filter((n) => n.endsWith('.txt')).sort()) {
  const file = await processor.process(readFileSync(join(folder, name), 'utf8'))
  messages += file.messages.length
}
console.log(messages)
