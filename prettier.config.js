// The house style as the code was written before Prettier arrived. printWidth 155 is the width
// whose first formatting changed the fewest lines (measured against 120–180).
/** @type {import('prettier').Config} */
export default {
  semi: false,
  singleQuote: true,
  trailingComma: 'all',
  tabWidth: 2,
  arrowParens: 'always',
  printWidth: 155,
}
