// Screen-width helper shared by the layout and pages: useNarrow() is a ref that is true on narrow
// screens (tablets held upright, phones: under 1024 px) and follows the window while the calling
// component is mounted.
import { onBeforeUnmount, ref } from 'vue'

export const NARROW_QUERY = '(max-width: 1023px)'

export function useNarrow() {
  const media = window.matchMedia(NARROW_QUERY)
  const narrow = ref(media.matches)
  const onChange = (e) => (narrow.value = e.matches)
  media.addEventListener('change', onChange)
  onBeforeUnmount(() => media.removeEventListener('change', onChange))
  return narrow
}
