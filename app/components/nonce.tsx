import { createContext, useContext } from 'react'

// The CSP nonce of the current request, for the inline scripts Remix renders. Browsers hide a
// nonce attribute after parsing, so on the client it is the empty string.
const NonceContext = createContext('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
