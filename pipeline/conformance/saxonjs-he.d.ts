/** The part of SaxonJS (`saxonjs-he`, which ships no types) that the Schematron check uses. */
declare module 'saxonjs-he' {
  interface SaxonJS {
    transform(
      options: {
        stylesheetText: string
        sourceFileName: string
        initialMode?: string
        destination: 'serialized'
        deliverMessage?: (message: unknown, errorCode: unknown) => void
      },
      mode: 'sync'
    ): { principalResult: unknown }
    serialize(node: unknown, options: { method: 'text' | 'xml' }): string
    XPath: {
      evaluate(expression: string, context: unknown, options?: { params?: Record<string, unknown> }): unknown
    }
  }
  const saxon: SaxonJS
  export default saxon
}
