import ParleyCore

/// Model output is data, never terminal control: when it goes to a terminal, control characters
/// and bidi overrides are shown as visible placeholders (`ControlPicture`). Newlines and tabs are
/// kept; output to a pipe or file is left untouched.
enum TerminalSafeText {
    /// `text` made safe when stdout is a terminal; untouched for a pipe or file.
    static func forOutput(_ text: String) -> String { Console.outputIsTerminal ? ControlPicture.safe(text) : text }
}
