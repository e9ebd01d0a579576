import ParleyCore

extension ControlPicture {
    /// `text` safe for a terminal and kept on one line: where a name or a log line must not break
    /// into a forged line of its own.
    static func oneLine(_ text: String) -> String {
        safe(text).replacing("\n", with: "␊")
    }
}
