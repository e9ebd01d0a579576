/// Parley's version, as `parley --version` prints it and the install checks it.
enum ParleyVersion {
    static let current = "0.3.0"
}
