/**
 * Hands a file to the host to save (the browser's or Electron's download): a link to the text, clicked. The text
 * stays in the window's memory only until the download has taken it.
 */
export function saveFile(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download in some hosts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
