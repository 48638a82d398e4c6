# Lab 07: renders Resourse/curl_timing.png from curl_timing.tsv (curl's timing infos).
#   cd Resourse/src && gnuplot curl_timing.gp
# Each bar is one transfer; each colour one phase, from the end of the previous phase to its own.
set terminal pngcairo size 1100,430 font "DejaVu Sans,11"
set output "../curl_timing.png"
set termoption noenhanced
set title "Where a request's time goes (curl's CURLINFO_*_TIME_T, loopback, ms)" font "DejaVu Sans,14"
set datafile separator "\t"
set key outside right top
set xlabel "milliseconds from the start of the transfer"
set xrange [0:*]
set yrange [-0.6:4.6]
set ytics ("http, new connection" 0, "http, reused connection" 1, "http /delay/5, reused" 2, \
           "https, new connection (cold)" 3, "https, new connection (warm)" 4)
set grid xtics
set style fill solid 0.9 border rgb "#333333"
h = 0.32
tcp_end(r) = (column(3) > 0 ? column(3) : column(2))
tls_end(r) = (column(4) > 0 ? column(4) : tcp_end(r))
plot "curl_timing.tsv" using (column(2)/2):($0):(column(2)/2):(h) with boxxyerror lc rgb "#9e9e9e" title "DNS", \
     "" using ((column(2)+tcp_end(0))/2):($0):((tcp_end(0)-column(2))/2):(h) with boxxyerror lc rgb "#4a6fa5" title "TCP connect", \
     "" using ((tcp_end(0)+tls_end(0))/2):($0):((tls_end(0)-tcp_end(0))/2):(h) with boxxyerror lc rgb "#c62828" title "TLS handshake", \
     "" using ((tls_end(0)+column(5))/2):($0):((column(5)-tls_end(0))/2):(h) with boxxyerror lc rgb "#b28704" title "request sent", \
     "" using ((column(5)+column(6))/2):($0):((column(6)-column(5))/2):(h) with boxxyerror lc rgb "#2e7d32" title "waiting: first byte", \
     "" using ((column(6)+column(7))/2):($0):((column(7)-column(6))/2):(h) with boxxyerror lc rgb "#81c784" title "body", \
     "" using (column(7)):($0):(sprintf(" %.3f ms", column(7))) with labels left notitle
