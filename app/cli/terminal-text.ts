/**
 * Text from a server (messages, error descriptions, password prompts, challenge names, approver emails) and from files
 * reaches the user's terminal through the CLI. Terminal control sequences in it would be obeyed, not shown: ESC [2J
 * clears the screen, ESC ]52 writes the clipboard in many terminals, a carriage return or a bidi override makes a
 * prompt read as something else. So every control character except tab and line feed is printed as a visible
 * escape (\x1b), as `git` and `less` do. --json output needs none of this: JSON escapes control characters itself.
 */
// C0 controls but tab/LF, DEL and C1 (CSI is U+009B), and the bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
